/**
 * A run's report: its executed notebook as the server renders it to HTML
 * (`flow_runs/{id}/report`), in a sandboxed iframe in the main area.
 *
 * The iframe allows nothing (no script, no form, no same-origin access), and the server sends the
 * page with a Content-Security-Policy that allows no script either: outputs may hold any HTML.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';

import { FlowRun } from './api';
import { apiUrl } from './request';

/** The report's URL (`noInput`: without the code), with the token when the server uses one. */
export function reportUrl(settings: ServerConnection.ISettings, runId: string, noInput = false): string {
  const query: Record<string, string> = {};
  if (noInput) {
    query.no_input = '1';
  }
  if (settings.token) {
    query.token = settings.token;
  }
  return apiUrl(settings, 'flow_runs', runId, 'report') + URLExt.objectToQueryString(query);
}

/** A main-area panel showing `run`'s report. */
export function reportWidget(settings: ServerConnection.ISettings, run: FlowRun): MainAreaWidget {
  const content = new Widget();
  content.addClass('orchestr-lab-report');
  content.node.dataset.runId = run.id;
  const frame = document.createElement('iframe');
  frame.className = 'orchestr-lab-report-frame';
  frame.setAttribute('sandbox', '');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.title = `Report of run ${run.name}`;
  frame.src = reportUrl(settings, run.id);
  content.node.appendChild(frame);
  const widget = new MainAreaWidget({ content });
  widget.id = `orchestr-lab-report-${run.id}`;
  widget.title.label = `Report · ${run.name}`;
  widget.title.caption = `The executed notebook of run ${run.name} (${run.id}) as HTML`;
  widget.title.closable = true;
  return widget;
}
