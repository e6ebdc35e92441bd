// Small HTTP helpers for the API: typed errors and a wrapper that turns them into JSON answers.
import type { Request, Response } from 'restify';
import { StorageUnavailableError } from '../storage/repository';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export const forbidden = (message: string, code = 'forbidden') => new ApiError(403, code, message);
export const notFound = (message: string) => new ApiError(404, 'not-found', message);
export const badRequest = (message: string) => new ApiError(400, 'bad-request', message);

export type Handler = (req: Request, res: Response) => Promise<void>;

/** Runs an async handler; ApiError and storage outages become JSON answers, anything else a logged 500. */
export function handle(fn: Handler): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    res.header('Cache-Control', 'no-store');
    try {
      await fn(req, res);
    } catch (err) {
      if (err instanceof ApiError) {
        res.json(err.status, { error: err.code, message: err.message });
      } else if (err instanceof StorageUnavailableError) {
        res.json(503, { error: 'storage-unavailable', message: 'Our storage is not reachable right now. Nothing was changed; please try again in a minute.' });
      } else {
        console.error(`API ${req.method} ${req.path()} failed:`, err);
        res.json(500, { error: 'internal', message: 'Something went wrong on our side. Please try again.' });
      }
    }
  };
}
