import { InvalidArgumentError } from 'commander';
import { DurationSyntaxError, parseGoDuration } from './go-duration.ts';

/** A TCP port flag (0 picks a free one). */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer between 0 and 65535');
  return n;
}

/** A non-negative Go duration flag (1h, 30m, 90s) as milliseconds. */
export function durationMs(value: string): number {
  try {
    const ms = parseGoDuration(value);
    if (ms < 0) throw new InvalidArgumentError('must not be negative');
    return ms;
  } catch (err) {
    if (err instanceof DurationSyntaxError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/** A Go duration flag as seconds (for flags whose API field is in seconds, like --event-ttl). */
export function durationSeconds(value: string): number {
  return durationMs(value) / 1000;
}

export function commaList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
