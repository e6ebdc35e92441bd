// Just enough of a PDF reader to check what Chromium printed: how many pages, and which fill
// colours each page's drawing uses (the charts' bars are filled rectangles in the stylesheet's
// colours; text and table rules are black or grey). Content streams are Flate-compressed.
import { inflateSync } from 'zlib';

/** The page objects of the document (/Type /Page, not /Pages). */
export function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

/** Every stream of the file, inflated where it is Flate-encoded. */
function streams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  const re = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const raw = pdf.subarray(start, end);
    try {
      out.push(/FlateDecode/.test(m[1]) ? inflateSync(raw).toString('latin1') : raw.toString('latin1'));
    } catch {
      /* not a content stream we can read (fonts, images) */
    }
    re.lastIndex = end;
  }
  return out;
}

/** The fill colours set with "r g b rg" in the drawing, as #rrggbb. */
export function fillColours(pdf: Buffer): Set<string> {
  const hex = (v: string) => Math.round(Number(v) * 255).toString(16).padStart(2, '0');
  const out = new Set<string>();
  for (const s of streams(pdf)) {
    for (const m of s.matchAll(/(?:^|\s)([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+rg(?=\s)/g)) out.add(`#${hex(m[1])}${hex(m[2])}${hex(m[3])}`);
  }
  return out;
}
