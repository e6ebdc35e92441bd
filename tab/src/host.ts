// The Teams host, if there is one. teams-js is loaded only when the page could be hosted
// (framed, or a mobile webview with nativeInterface): top-level in a plain browser its
// app.initialize fails anyway ("No Parent window found"), and merely loading it contacts a CDN.
import type { Host } from './hostContext';

const INIT_TIMEOUT_MS = 5000;

export function mayBeHosted(): boolean {
  const w = window as Window & { nativeInterface?: unknown };
  let framed = false;
  try {
    framed = window.self !== window.top;
  } catch {
    framed = true; // a cross-origin parent throws: we are framed
  }
  return framed || !!w.nativeInterface || !!window.opener;
}

/** Connects to Teams; undefined when there is no host to talk to. */
export async function connectHost(): Promise<Host | undefined> {
  if (!mayBeHosted()) return undefined;
  try {
    const { connect } = await import('./teams');
    return await Promise.race([connect(), new Promise<undefined>((r) => setTimeout(() => r(undefined), INIT_TIMEOUT_MS))]);
  } catch {
    return undefined;
  }
}

