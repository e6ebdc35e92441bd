// Draws the Teams app icons of Reverse Mentor with pngjs:
//   color.png   192x192, full colour: a junior (amber) and a senior (white) figure on the brand
//               teal, with a curved arrow from the junior up to the senior (the junior mentors)
//               and a thinner one back (the senior shares how the business runs).
//   outline.png 32x32, the figures and the upward arrow in white on a fully transparent background.
// Shapes are sampled 8 x 8 times per pixel (supersampling) for smooth edges.
// Run: npx ts-node --transpile-only appPackage/icons.ts
import * as fs from 'fs';
import * as path from 'path';

// pngjs ships no type declarations; this is the small part of its API used here.
interface PngImage {
  width: number;
  height: number;
  data: Buffer;
}
interface PngModule {
  PNG: {
    new (opts: { width: number; height: number; colorType?: number }): PngImage;
    sync: { write(png: PngImage, opts?: { colorType?: number }): Buffer; read(buf: Buffer): PngImage };
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as PngModule;

export type Rgba = readonly [number, number, number, number];

/** A shape is a test "is this point inside?" in icon coordinates (0..size). */
export type Inside = (x: number, y: number) => boolean;

export interface Layer {
  color: Rgba;
  inside: Inside;
}

export const BRAND_TEAL: Rgba = [14, 124, 134, 255]; // #0E7C86, the manifest's accentColor
export const JUNIOR_AMBER: Rgba = [255, 184, 77, 255];
export const WHITE: Rgba = [255, 255, 255, 255];
export const CLEAR: Rgba = [0, 0, 0, 0];

// ---- shapes ----------------------------------------------------------------------------------

export const circle = (cx: number, cy: number, r: number): Inside => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** Upper half of an ellipse standing on y = baseY: head-and-shoulders "body". */
export const shoulders = (cx: number, baseY: number, rx: number, ry: number): Inside => (x, y) =>
  y <= baseY && ((x - cx) / rx) ** 2 + ((y - baseY) / ry) ** 2 <= 1;

/** A ring segment (stroke of a circular arc) from angle a0 to a1 (radians, clockwise on screen). */
export const arc = (cx: number, cy: number, r: number, width: number, a0: number, a1: number): Inside => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  if (Math.abs(d - r) > width / 2) return false;
  let a = Math.atan2(y - cy, x - cx);
  while (a < a0) a += 2 * Math.PI;
  return a <= a1;
};

export const triangle = (p: readonly [number, number][]): Inside => (x, y) => {
  const s = (i: number) => {
    const [ax, ay] = p[i];
    const [bx, by] = p[(i + 1) % 3];
    return (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  };
  const a = s(0), b = s(1), c = s(2);
  return (a >= 0 && b >= 0 && c >= 0) || (a <= 0 && b <= 0 && c <= 0);
};

export const union = (...shapes: Inside[]): Inside => (x, y) => shapes.some((f) => f(x, y));

/** Arrow head at the end of an arc (angle `a`, going clockwise), as a triangle. */
export function arcArrowHead(cx: number, cy: number, r: number, a: number, size: number): Inside {
  const px = cx + r * Math.cos(a), py = cy + r * Math.sin(a);
  // Tangent pointing in the clockwise (increasing angle) direction, and the outward normal.
  const tx = -Math.sin(a), ty = Math.cos(a);
  const nx = Math.cos(a), ny = Math.sin(a);
  const tip: [number, number] = [px + tx * size, py + ty * size];
  const left: [number, number] = [px + nx * size * 0.85, py + ny * size * 0.85];
  const right: [number, number] = [px - nx * size * 0.85, py - ny * size * 0.85];
  return triangle([tip, left, right]);
}

// ---- rendering -------------------------------------------------------------------------------

/**
 * The colour at one point: layers are painted in order, each over what is below it ("over"
 * compositing, so translucent layers blend); a layer whose colour has alpha 0 erases.
 */
export function sample(x: number, y: number, background: Rgba, layers: Layer[]): Rgba {
  // From the top down to the first layer that hides everything below it.
  let i = layers.length - 1;
  const hits: Rgba[] = [];
  for (; i >= 0; i--) {
    if (!layers[i].inside(x, y)) continue;
    const color = layers[i].color;
    hits.push(color);
    if (color[3] === 255 || color[3] === 0) break;
  }
  let [r, g, b, a] = i < 0 ? background : [0, 0, 0, 0];
  for (let h = hits.length - 1; h >= 0; h--) {
    const [cr, cg, cb, ca] = hits[h];
    if (ca === 0) {
      [r, g, b, a] = [0, 0, 0, 0];
      continue;
    }
    const top = ca / 255;
    const below = (a / 255) * (1 - top);
    const outA = top + below;
    r = (cr * top + r * below) / outA;
    g = (cg * top + g * below) / outA;
    b = (cb * top + b * below) / outA;
    a = outA * 255;
  }
  return [r, g, b, a];
}

/**
 * Renders layers (painter's order, see sample) over `background`, averaging SS x SS samples
 * per pixel.
 */
export function render(size: number, scale: number, background: Rgba, layers: Layer[], ss = 8): PngImage {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) * scale;
          const y = (py + (sy + 0.5) / ss) * scale;
          const c = sample(x, y, background, layers);
          // Premultiplied accumulation, so transparent samples do not darken the edges.
          const alpha = c[3] / 255;
          r += c[0] * alpha;
          g += c[1] * alpha;
          b += c[2] * alpha;
          a += alpha;
        }
      }
      const n = ss * ss;
      const o = (py * size + px) * 4;
      png.data[o] = a ? Math.round(r / a) : 0;
      png.data[o + 1] = a ? Math.round(g / a) : 0;
      png.data[o + 2] = a ? Math.round(b / a) : 0;
      png.data[o + 3] = Math.round((a / n) * 255);
    }
  }
  return png;
}

// ---- the motif (designed on a 192 x 192 canvas) ----------------------------------------------

/** A head-and-shoulders figure: head circle [x, y, r], body half-ellipse [x, baseY, rx, ry]. */
interface Figure {
  head: [number, number, number];
  body: [number, number, number, number];
}

const JUNIOR: Figure = { head: [64, 98, 15], body: [64, 142, 29, 31] };
const SENIOR: Figure = { head: [127, 84, 19], body: [127, 142, 37, 40] };

function figureLayers(f: Figure, color: Rgba, halo: Rgba, gap: number): Layer[] {
  const [hx, hy, hr] = f.head;
  const [bx, by, brx, bry] = f.body;
  return [
    // a halo round the whole figure cuts it out of whatever lies behind
    { color: halo, inside: union(circle(hx, hy, hr + gap), shoulders(bx, by, brx + gap, bry + gap)) },
    { color, inside: shoulders(bx, by, brx, bry) },
    { color: halo, inside: circle(hx, hy, hr + gap) },
    { color, inside: circle(hx, hy, hr) },
  ];
}

/** The arc over the heads, from the junior up to the senior: the junior mentors the senior. */
function upArrow(width: number, head: number): Inside {
  const cx = 96, cy = 92, r = 54;
  const a0 = Math.PI * 1.13, a1 = Math.PI * 1.74;
  return union(arc(cx, cy, r, width, a0, a1), arcArrowHead(cx, cy, r, a1, head));
}

/** The arc under the figures, from the senior back to the junior: how the business runs. */
function backArrow(width: number, head: number): Inside {
  const cx = 96, cy = 126, r = 40;
  const a0 = Math.PI * 0.22, a1 = Math.PI * 0.78;
  return union(arc(cx, cy, r, width, a0, a1), arcArrowHead(cx, cy, r, a1, head));
}

export function colorIcon(): PngImage {
  return render(192, 1, BRAND_TEAL, [
    ...figureLayers(SENIOR, WHITE, BRAND_TEAL, 5),
    ...figureLayers(JUNIOR, JUNIOR_AMBER, BRAND_TEAL, 5),
    { color: WHITE, inside: upArrow(9, 15) },
    { color: [255, 255, 255, 200], inside: backArrow(6, 10) },
  ]);
}

export function outlineIcon(): PngImage {
  // At 32 px one pixel is 6 design units: thicker strokes and wider gaps, and no way back.
  return render(32, 192 / 32, CLEAR, [
    ...figureLayers(SENIOR, WHITE, CLEAR, 8),
    ...figureLayers(JUNIOR, WHITE, CLEAR, 8),
    { color: WHITE, inside: upArrow(13, 22) },
  ]);
}

export function writeIcons(dir = __dirname): { color: string; outline: string } {
  const color = path.join(dir, 'color.png');
  const outline = path.join(dir, 'outline.png');
  fs.writeFileSync(color, PNG.sync.write(colorIcon()));
  fs.writeFileSync(outline, PNG.sync.write(outlineIcon()));
  return { color, outline };
}

if (require.main === module) {
  const out = writeIcons();
  console.log(`wrote ${out.color} and ${out.outline}`);
}
