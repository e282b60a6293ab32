/** `900 bytes`, `300 KiB`, `1.5 MiB`, `2 GiB`: sizes in messages people read. */
export function byteSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) || value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** `1,234,567`: counts in messages people read. */
export const count = (n: number): string => n.toLocaleString('en-US');
