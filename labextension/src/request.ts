/**
 * The one helper that talks to orchestr-lab's REST API (`<base_url>/orchestr-lab/api/...`).
 *
 * It goes through `ServerConnection.makeRequest` with the application's server settings, so
 * the token, cookie and XSRF header are whatever JupyterLab itself uses.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Where every orchestr-lab route lives, below the server's base URL. */
export const API_PREFIX = 'orchestr-lab/api';

/** A field-level problem reported by the server (pydantic's `loc` + `msg`). */
export interface IFieldProblem {
  loc: Array<string | number>;
  msg: string;
}

/** A failed API call: the HTTP status and the server's `{error, detail}` body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail: unknown = null
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The URL of an API path, e.g. `apiUrl(settings, 'flow_runs', id)`. */
export function apiUrl(settings: ServerConnection.ISettings, ...parts: string[]): string {
  return URLExt.join(settings.baseUrl, API_PREFIX, ...parts.map(encodeURIComponent));
}

/**
 * Call the API and decode its JSON answer.
 *
 * `path` is a list of URL segments (each is encoded); `query` values that are undefined or ''
 * are left out. Errors become an {@link ApiError} carrying the server's message.
 */
export async function requestAPI<T>(
  settings: ServerConnection.ISettings,
  path: string[],
  options: { method?: string; body?: unknown; query?: Record<string, string | number | undefined> } = {}
): Promise<T> {
  let url = apiUrl(settings, ...path);
  const query = Object.entries(options.query ?? {}).filter(([, v]) => v !== undefined && v !== '');
  if (query.length) {
    url += URLExt.objectToQueryString(Object.fromEntries(query.map(([k, v]) => [k, String(v)])));
  }
  const init: RequestInit = { method: options.method ?? 'GET' };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ApiError(0, `The server did not answer: ${String(error)}`);
  }
  const text = await response.text();
  let data: any = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const message = data && typeof data.error === 'string' ? data.error : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, data ? data.detail : null);
  }
  return data as T;
}
