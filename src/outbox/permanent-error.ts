/** Which delivery errors are final for a send (it becomes `failed`) and which are worth a retry. */
import { AuthError, isPermanentStatus, ParleyError, HttpError, ValidationError } from '../errors.js';

/** Errors that will not go away by trying again: 4xx other than 401/408/429, validation, too big. */
export function isPermanent(error: unknown): boolean {
  if (error instanceof ValidationError) return true;
  if (error instanceof AuthError) return false;
  if (error instanceof HttpError) return isPermanentStatus(error.status);
  return error instanceof ParleyError && error.code === 'too_big';
}
