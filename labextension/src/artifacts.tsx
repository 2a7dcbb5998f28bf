/**
 * A run's artifacts in its detail: progress bars that move, tables, markdown, links and images.
 *
 * Read with `GET artifacts?flow_run_id=` and kept live from the event stream: a progress
 * artifact's `artifact.updated` event carries its value, so the bar moves without a request;
 * anything else about the run's artifacts re-reads them. Nothing the run wrote becomes HTML:
 * markdown is turned into React elements by a small renderer (text stays text, only http(s)
 * and mailto links are links), tables and text are React text, images only from http(s).
 */
import * as React from 'react';

import type { components } from './openapi';
import { ServerEvent } from './api';
import { OrchestrModel } from './model';
import { requestAPI } from './request';

export type Artifact = Required<components['schemas']['ArtifactRead']>;
type ArtifactPage = { items: Artifact[]; total: number };

/** The most artifacts of one run the detail reads (the API's largest page). */
const MAX_ARTIFACTS = 200;
/** Table rows shown before "N more rows" (`orchestr-lab artifacts show` prints them all). */
const MAX_ROWS = 100;

async function readArtifacts(model: OrchestrModel, runId: string): Promise<Artifact[]> {
  const page: ArtifactPage = await requestAPI(model.api.settings, ['artifacts'], {
    query: { flow_run_id: runId, limit: MAX_ARTIFACTS }
  });
  return page.items.slice().reverse(); // oldest first, as the run made them
}

function isAboutRun(event: ServerEvent, runId: string): boolean {
  return event.kind.startsWith('artifact.') && event.payload?.flow_run_id === runId;
}

/** The "Artifacts" section of a run's detail; nothing while the run has none. */
export function RunArtifacts(props: { model: OrchestrModel; runId: string }): JSX.Element | null {
  const { model, runId } = props;
  const [artifacts, setArtifacts] = React.useState<Artifact[]>([]);
  const [error, setError] = React.useState('');

  React.useEffect(() => {
    let live = true;
    let timer = 0;
    const load = async () => {
      try {
        const items = await readArtifacts(model, runId);
        if (live) {
          setArtifacts(items);
          setError('');
        }
      } catch (err) {
        if (live) {
          setError((err as Error).message);
        }
      }
    };
    const onEvent = (_: unknown, event: ServerEvent) => {
      if (!isAboutRun(event, runId)) {
        return;
      }
      const payload = event.payload ?? {};
      if (event.kind === 'artifact.updated' && payload.type === 'progress') {
        let known = false;
        setArtifacts(current =>
          current.map(a => {
            if (a.id !== payload.id) {
              return a;
            }
            known = true;
            return { ...a, data: payload.data };
          })
        );
        if (known) {
          return;
        }
      }
      if (!timer) {
        timer = window.setTimeout(() => {
          timer = 0;
          void load();
        }, 150);
      }
    };
    const onChanged = () => void load();
    void load();
    model.events.connect(onEvent);
    model.changed.connect(onChanged);
    return () => {
      live = false;
      model.events.disconnect(onEvent);
      model.changed.disconnect(onChanged);
      window.clearTimeout(timer);
    };
  }, [model, runId]);

  if (!artifacts.length && !error) {
    return null;
  }
  return (
    <div className="orchestr-lab-artifacts">
      <h4>Artifacts</h4>
      {error ? <div className="orchestr-lab-message orchestr-lab-message-error">{error}</div> : null}
      {artifacts.map(a => (
        <ArtifactView key={a.id} artifact={a} />
      ))}
    </div>
  );
}

export function ArtifactView(props: { artifact: Artifact }): JSX.Element {
  const a = props.artifact;
  return (
    <div className="orchestr-lab-artifact" data-artifact-type={a.type ?? ''} data-key={a.key ?? ''}>
      <div className="orchestr-lab-artifact-title">
        <b>{a.key ?? a.type ?? 'artifact'}</b>
        {a.description ? <span className="orchestr-lab-row-meta"> {a.description}</span> : null}
      </div>
      <ArtifactBody artifact={a} />
    </div>
  );
}

function ArtifactBody(props: { artifact: Artifact }): JSX.Element {
  const { type, data } = props.artifact;
  if (type === 'progress') {
    const pct = Math.min(Math.max(typeof data === 'number' ? data : 0, 0), 100);
    return (
      <div className="orchestr-lab-artifact-progress" data-progress={String(pct)}>
        <progress max={100} value={pct} />
        <span>{Math.round(pct)}%</span>
      </div>
    );
  }
  if (type === 'table') {
    return <TableView data={data} />;
  }
  if (type === 'image' && typeof data === 'string' && /^https?:\/\//i.test(data)) {
    return <img className="orchestr-lab-artifact-image" src={data} alt={props.artifact.key ?? ''} />;
  }
  if (type === 'markdown' && typeof data === 'string') {
    return <div className="orchestr-lab-artifact-markdown">{markdown(data)}</div>;
  }
  return <pre>{typeof data === 'string' ? data : JSON.stringify(data)}</pre>;
}

function cellText(value: unknown): string {
  return value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

/** A table artifact's rows: a list of row objects, an object of columns, or a list of rows. */
function tableRows(table: unknown): { names: string[] | null; rows: unknown[][] } {
  if (Array.isArray(table)) {
    if (table.length && table.every(r => r && typeof r === 'object' && !Array.isArray(r))) {
      const names = Array.from(new Set(table.flatMap(r => Object.keys(r as object))));
      return { names, rows: table.map(r => names.map(n => (r as Record<string, unknown>)[n])) };
    }
    return { names: null, rows: table.map(r => (Array.isArray(r) ? r : [r])) };
  }
  if (table && typeof table === 'object') {
    const columns = Object.values(table as Record<string, unknown>).map(c => (Array.isArray(c) ? c : [c]));
    const height = Math.max(0, ...columns.map(c => c.length));
    return {
      names: Object.keys(table as object),
      rows: Array.from({ length: height }, (_, i) => columns.map(c => c[i]))
    };
  }
  return { names: null, rows: [[table]] };
}

function TableView(props: { data: unknown }): JSX.Element {
  let table: unknown = props.data;
  if (typeof table === 'string') {
    try {
      table = JSON.parse(table);
    } catch {
      return <pre>{table as string}</pre>;
    }
  }
  const { names, rows } = tableRows(table);
  return (
    <>
      <table className="orchestr-lab-facts orchestr-lab-artifact-table">
        {names ? (
          <thead>
            <tr>
              {names.map(n => (
                <th key={n}>{n}</th>
              ))}
            </tr>
          </thead>
        ) : null}
        <tbody>
          {rows.slice(0, MAX_ROWS).map((row, i) => (
            <tr key={i}>
              {row.map((v, j) => (
                <td key={j}>{cellText(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > MAX_ROWS ? <div className="orchestr-lab-row-meta">{rows.length - MAX_ROWS} more rows</div> : null}
    </>
  );
}

// -- markdown, as React elements ---------------------------------------------------------------

const INLINE = /(`[^`]+`)|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Inline markdown: code, bold, italics and links (only http(s) and mailto; others stay text). */
function inline(text: string): React.ReactNode[] {
  const out: React.ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) {
      out.push(text.slice(last, at));
    }
    const key = out.length;
    if (m[1]) {
      out.push(<code key={key}>{m[1].slice(1, -1)}</code>);
    } else if (m[2]) {
      out.push(<strong key={key}>{inline(m[2])}</strong>);
    } else if (m[3] || m[4]) {
      out.push(<em key={key}>{inline(m[3] || m[4])}</em>);
    } else if (/^(https?:|mailto:)/i.test(m[6])) {
      out.push(
        <a key={key} href={m[6]} target="_blank" rel="noopener noreferrer">
          {inline(m[5])}
        </a>
      );
    } else {
      out.push(m[5]);
    }
    last = at + m[0].length;
  }
  if (last < text.length) {
    out.push(text.slice(last));
  }
  return out;
}

/** Block markdown: headings, fenced code, bullet and numbered lists, paragraphs. */
export function markdown(source: string): React.ReactNode[] {
  const blocks: React.ReactNode[] = [];
  const lines = source.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const key = blocks.length;
    if (/^\s*```/.test(line)) {
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) {
        code.push(lines[i]);
      }
      i++;
      blocks.push(<pre key={key}>{code.join('\n')}</pre>);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const Tag = `h${Math.min(heading[1].length + 3, 6)}` as 'h4' | 'h5' | 'h6';
      blocks.push(<Tag key={key}>{inline(heading[2])}</Tag>);
      i++;
      continue;
    }
    const bullet = /^\s*([-*+]|\d+[.)])\s+/;
    if (bullet.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: React.ReactNode[] = [];
      for (; i < lines.length && bullet.test(lines[i]); i++) {
        items.push(<li key={items.length}>{inline(lines[i].replace(bullet, ''))}</li>);
      }
      blocks.push(ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>);
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i].trim() && !/^(#{1,6}\s|\s*```)/.test(lines[i]) && !bullet.test(lines[i]); i++) {
      para.push(lines[i]);
    }
    blocks.push(<p key={key}>{inline(para.join(' '))}</p>);
  }
  return blocks;
}
