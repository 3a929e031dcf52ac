/**
 * Renders the toolbar/store icons (public/icon/{size}.png): a blue rounded square with a
 * white magnifying lens. Deterministic, no image library: signed-distance shapes,
 * 4x4 supersampling, PNG written with node:zlib. Run: node --import tsx test/tools/make-icons.ts
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Coverage of the icon's shapes at a point in unit coordinates (0..1). */
function sample(x: number, y: number): { bg: boolean; lens: boolean } {
  // Rounded square background.
  const r = 0.2;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  const bg = Math.hypot(qx, qy) <= r;
  // Lens ring centred at (0.43, 0.43) and a handle towards the bottom right.
  const d = Math.hypot(x - 0.43, y - 0.43);
  const ring = d <= 0.25 && d >= 0.16;
  const t = Math.max(0, Math.min(1, ((x - 0.6) + (y - 0.6)) / (2 * 0.2)));
  const hx = 0.6 + t * 0.2;
  const handle = Math.hypot(x - hx, y - hx) <= 0.065;
  return { bg, lens: ring || handle };
}

export function renderIcon(size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const ss = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let lens = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const s = sample((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          if (s.bg) bg++;
          if (s.bg && s.lens) lens++;
        }
      }
      const n = ss * ss;
      const a = bg / n;
      const w = bg ? lens / bg : 0;
      const i = (py * size + px) * 4;
      // Blend white lens over #0f6cbd.
      out[i] = Math.round(0x0f + (0xff - 0x0f) * w);
      out[i + 1] = Math.round(0x6c + (0xff - 0x6c) * w);
      out[i + 2] = Math.round(0xbd + (0xff - 0xbd) * w);
      out[i + 3] = Math.round(255 * a);
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../public/icon');
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(join(dir, `${size}.png`), encodePng(size, renderIcon(size)));
  console.log(`wrote ${ICON_SIZES.length} icons to ${dir}`);
}
