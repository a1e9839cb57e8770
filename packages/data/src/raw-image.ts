/**
 * A decoded image on the host: row-major, interleaved 8-bit channels (1 gray, 3 RGB, 4 RGBA).
 * Preprocessing works on these so Node and the browser produce the same bytes.
 */
export interface RawImage {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

export function rawImage(
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  data?: Uint8Array,
): RawImage {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
    throw new Error(`image size must be positive integers, got ${width}×${height}`);
  const size = width * height * channels;
  if (data && data.length !== size)
    throw new Error(
      `a ${width}×${height}×${channels} image holds ${size} bytes, got ${data.length}`,
    );
  return { width, height, channels, data: data ?? new Uint8Array(size) };
}

/** A colour as RGB bytes: '#rrggbb', 'white', 'black', or [r, g, b]. */
export type Color = string | [number, number, number];

export function parseColor(color: Color): [number, number, number] {
  if (Array.isArray(color))
    return color.map((c) => Math.max(0, Math.min(255, Math.round(c)))) as [number, number, number];
  const named: Record<string, [number, number, number]> = {
    white: [255, 255, 255],
    black: [0, 0, 0],
    gray: [128, 128, 128],
  };
  if (named[color]) return named[color];
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m)
    throw new Error(
      `colour must be '#rrggbb', 'white', 'black', 'gray' or [r, g, b], got ${color}`,
    );
  return [Number.parseInt(m[1], 16), Number.parseInt(m[2], 16), Number.parseInt(m[3], 16)];
}
