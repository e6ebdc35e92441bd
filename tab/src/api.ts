// Calls to our API under /api/: adds the caller's identity and turns failures into ApiFailure.

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly body: Record<string, unknown> = {}) {
    super(message);
  }
}

type AuthHeaders = () => Promise<Record<string, string>>;

let authHeaders: AuthHeaders = async () => ({});
let locale = 'en';

export function configureApi(auth: AuthHeaders, lang: string): void {
  authHeaders = auth;
  locale = lang;
}

const withLocale = (path: string) => `${path}${path.includes('?') ? '&' : '?'}locale=${encodeURIComponent(locale)}`;

/** `localised: false` for an address that names its language itself (the catalogue's): the same address every time, for the browser's cache. */
async function request(path: string, init: RequestInit = {}, localised = true): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(localised ? withLocale(path) : path, { ...init, headers: { ...(await authHeaders()), ...(init.headers ?? {}) } });
  } catch {
    throw new ApiFailure(0, 'network', 'The server could not be reached.');
  }
  if (!res.ok) {
    let body: { error?: string; message?: string } = {};
    try {
      body = await res.json();
    } catch {
      /* not JSON */
    }
    throw new ApiFailure(res.status, body.error ?? `http-${res.status}`, body.message ?? res.statusText, body);
  }
  return res;
}

export async function getJson<T>(path: string, o: { localised?: boolean } = {}): Promise<T> {
  return (await request(path, {}, o.localised ?? true)).json() as Promise<T>;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return (await request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<T>;
}

/** Fetches a file with the caller's identity and hands it to the browser as a download. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await request(path);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
