/**
 * Uploads: `POST /api/chat/upload/` streams the file to disk with multer (10 MiB, 413 beyond,
 * nothing left behind), sniffs its type from the content with file-type (JPEG, PNG, GIF, WebP,
 * PDF; 415 otherwise) and stores it under a random 128-bit name (`ctx.uploads`: a file on
 * SQLite, a row on PostgreSQL). `GET /uploads/<name>` serves it without auth, with `nosniff`, and
 * PDFs as attachments. `sweepUploads` deletes unattached uploads past their age.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { fileTypeFromFile } from 'file-type';
import multer from 'multer';
import { MAX_UPLOAD_BYTES } from '../../../src/types.js';
import type { AppContext } from '../context.js';
import { userOf } from '../auth/require-auth.js';
import { bodyId, bodyOf, detail, fieldError, handle, notFound } from '../http/errors.js';

const ALLOWED = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf']);

const removeQuietly = (path: string | undefined) => (path ? unlink(path).catch(() => undefined) : Promise.resolve());

/** multer to `<uploads>/tmp`, mapping its limit errors to PROTOCOL answers and cleaning up. */
function receiveFile(tmpDir: string): RequestHandler {
  const upload = multer({
    storage: multer.diskStorage({
      destination: tmpDir,
      filename: (req, _file, cb) => {
        const name = randomBytes(16).toString('hex');
        (req as Request & { tmpUpload?: string }).tmpUpload = join(tmpDir, name);
        cb(null, name);
      },
    }),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 12 },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      void removeQuietly((req as Request & { tmpUpload?: string }).tmpUpload).then(() => {
        if (err instanceof multer.MulterError) {
          if (err.code === 'LIMIT_FILE_SIZE')
            return next(detail(413, 'File too large (at most 10 MiB).', 'payload_too_large'));
          return next(fieldError(err.field ?? 'file', err.message));
        }
        next(detail(400, 'Malformed multipart body.', 'parse_error'));
      });
    });
  };
}

export function uploadRoutes(ctx: AppContext, writeLimit: RequestHandler): Router {
  const r = Router();
  const tmpDir = join(ctx.uploadsDir, 'tmp');

  r.post(
    '/upload/',
    writeLimit,
    receiveFile(tmpDir),
    handle(async (req, res) => {
      const file = req.file;
      try {
        if (!file) throw fieldError('file', 'No file was submitted.');
        const user = userOf(res);
        const conversationId = bodyId(bodyOf(req), 'conversation_id', false);
        if (conversationId) await ctx.chat.requireParticipant(conversationId, user.id);
        const type = await fileTypeFromFile(file.path);
        if (!type || !ALLOWED.has(type.mime))
          throw detail(415, 'Only JPEG, PNG, GIF, WebP and PDF files are accepted.', 'unsupported_media_type');
        const storedName = randomBytes(16).toString('hex');
        await ctx.uploads.save(storedName, file.path);
        const a = await ctx.storage.createAttachment({
          uploader_id: user.id,
          conversation_id: conversationId ?? null,
          stored_name: storedName,
          file_name: [...file.originalname].slice(0, 255).join('') || 'file',
          file_size: file.size,
          content_type: type.mime,
        });
        ctx.metrics.uploadBytes += file.size;
        const { attachment_id, file_url, file_name, file_size, content_type } = a;
        res.status(201).json({ attachment_id, file_url, file_name, file_size, content_type });
      } catch (err) {
        await removeQuietly(file?.path);
        throw err;
      }
    }),
  );
  return r;
}

/** `GET /uploads/<name>`: public but unguessable. */
export function serveUploads(ctx: AppContext): Router {
  const r = Router();
  r.get(
    '/:name',
    handle(async (req, res) => {
      const name = String(req.params.name);
      const a = /^[0-9a-f]{32}$/.test(name) ? await ctx.storage.getAttachmentByStoredName(name) : null;
      if (!a) throw notFound();
      const stored = await ctx.uploads.open(a.stored_name);
      if (!stored) throw notFound();
      res.setHeader('Content-Type', a.content_type);
      res.setHeader('Content-Length', String(stored.size));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'private, max-age=86400');
      const safeName = a.file_name.replace(/[^\w.\- ]/g, '_');
      const disposition = a.content_type === 'application/pdf' ? 'attachment' : 'inline';
      res.setHeader(
        'Content-Disposition',
        `${disposition}; filename="${safeName}"; filename*=UTF-8''${encodeURIComponent(a.file_name)}`,
      );
      // pipeline, not pipe: a read error (the file swept or replaced meanwhile) ends this answer
      // instead of escaping as an uncaught 'error' event that would stop the process.
      await pipeline(stored.stream, res).catch((err: NodeJS.ErrnoException) => {
        // The code only: the message names the file, whose name is the upload's secret URL.
        ctx.log.warn({ code: err.code }, 'upload could not be read');
        if (!res.headersSent) throw notFound();
        res.destroy();
      });
    }),
  );
  return r;
}

/**
 * Deletes uploads never attached to a message and older than `maxAgeMs`; returns how many. Only
 * the bytes (`ctx.uploads`: a file, or a row on PostgreSQL) of rows the database actually deleted
 * go: an upload attached meanwhile keeps them.
 */
export async function sweepUploads(ctx: AppContext, maxAgeMs: number): Promise<number> {
  const deleted = await ctx.storage.deleteUnattachedBefore(new Date(Date.now() - maxAgeMs).toISOString());
  await Promise.all(deleted.map((a) => ctx.uploads.remove(a.stored_name)));
  if (deleted.length) ctx.log.info({ count: deleted.length }, 'swept unattached uploads');
  return deleted.length;
}

/** Makes sure the upload folders exist. */
export async function prepareUploadDirs(uploadsDir: string): Promise<void> {
  await mkdir(join(uploadsDir, 'tmp'), { recursive: true });
}
