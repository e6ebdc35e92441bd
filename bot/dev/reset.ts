// `npm run reset`: starts local mode over with empty storage, by removing the data that `npm start`
// keeps in .azurite/ (programmes, people, check-ins: everything). Stop `npm start` first: while
// its Azurite runs the folder is in use, so this refuses. `--dir <folder>` names another folder.
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { parseArgs } from 'util';
import { REPO_ROOT } from './playground';

export const LOCAL_DATA_DIR = path.join(REPO_ROOT, '.azurite');

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}

export async function reset(dir: string, azuritePort = 10002): Promise<string> {
  if (await listening(azuritePort)) throw new Error(`Something listens on 127.0.0.1:${azuritePort} (npm start's Azurite?): stop it first, then run npm run reset again.`);
  if (!fs.existsSync(dir)) return `Nothing to reset: ${dir} does not exist.`;
  fs.rmSync(dir, { recursive: true, force: true });
  return `Removed ${dir}: the next npm start begins with empty storage.`;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: LOCAL_DATA_DIR }, port: { type: 'string', default: '10002' } }, strict: true });
  reset(path.resolve(values.dir!), Number(values.port)).then(
    (m) => console.log(m),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
