/**
 * A `fetch` made of XMLHttpRequest, for uploads only: browsers report upload progress for XHR over
 * HTTP/1.1, while a streamed `fetch` body (what ky's own `onUploadProgress` needs) works only over
 * HTTP/2. It is handed to the one ky instance per call, so the bearer, the 401 refresh, Retry-After,
 * the timeout and the error mapping stay exactly as for every other request.
 */

/** Bytes sent so far of one request body. */
export type UploadProgressListener = (loaded: number, total: number) => void;

/** Whether this runtime has XMLHttpRequest (browsers: yes; Node: no, then uploads use plain fetch). */
export function canTrackUploads(): boolean {
  return typeof XMLHttpRequest !== 'undefined';
}

/** A fetch-compatible function that reports upload progress to `onProgress`. */
export function xhrFetch(
  onProgress: UploadProgressListener,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.blob();
    return new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const abort = () => xhr.abort();
      const aborted = () => new DOMException('The upload was aborted.', 'AbortError');
      if (request.signal.aborted) return reject(aborted());
      request.signal.addEventListener('abort', abort, { once: true });
      const done = () => request.signal.removeEventListener('abort', abort);

      xhr.open(request.method, request.url);
      xhr.responseType = 'blob';
      xhr.withCredentials = request.credentials === 'include';
      request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.upload.onprogress = (event) =>
        onProgress(event.loaded, event.lengthComputable ? event.total : (body?.size ?? 0));
      xhr.onload = () => {
        done();
        const headers = new Headers();
        for (const line of xhr
          .getAllResponseHeaders()
          .trim()
          .split(/[\r\n]+/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        const empty = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
        resolve(
          new Response(empty ? null : (xhr.response as Blob), {
            status: xhr.status,
            statusText: xhr.statusText,
            headers,
          }),
        );
      };
      // Like fetch: a network failure is a TypeError, an abort an AbortError.
      xhr.onerror = () => (done(), reject(new TypeError('Failed to fetch')));
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => (done(), reject(aborted()));
      xhr.send(body);
    });
  };
}
