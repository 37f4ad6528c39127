import type { ServerResponse } from 'node:http';
import { ApiError } from '../api/errors.ts';

export function sendJsonText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendJson(res: ServerResponse, code: number, value: unknown): void {
  sendJsonText(res, code, JSON.stringify(value));
}

export function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}
