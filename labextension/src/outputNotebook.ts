/**
 * A read-only view of a run's executed notebook (the `flow_runs/{id}/notebook` JSON).
 *
 * Markdown and outputs go through JupyterLab's own renderers (so images, HTML and errors look
 * as in a notebook); sources are shown as text. Nothing here can execute or save.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { Panel, Widget } from '@lumino/widgets';

import { FlowRun, OrchestrApi } from './api';

function text(source: string | string[] | undefined): string {
  return Array.isArray(source) ? source.join('') : (source ?? '');
}

function cellWidget(cell: any, rendermime: IRenderMimeRegistry): Widget {
  const panel = new Panel();
  panel.addClass('orchestr-lab-nb-cell');
  panel.addClass(`orchestr-lab-nb-${cell.cell_type}`);
  const source = text(cell.source);
  if (cell.cell_type === 'markdown') {
    const renderer = rendermime.createRenderer('text/markdown');
    void renderer.renderModel(new MimeModel({ data: { 'text/markdown': source } }));
    panel.addWidget(renderer);
    return panel;
  }
  const input = new Widget({ node: document.createElement('pre') });
  input.addClass('orchestr-lab-nb-source');
  const count = cell.execution_count ?? ' ';
  input.node.textContent = source;
  input.node.dataset.prompt = cell.cell_type === 'code' ? `[${count}]` : '';
  panel.addWidget(input);
  if (cell.cell_type === 'code' && Array.isArray(cell.outputs) && cell.outputs.length) {
    const model = new OutputAreaModel({ values: cell.outputs, trusted: false });
    const outputs = new OutputArea({ model, rendermime });
    outputs.addClass('orchestr-lab-nb-outputs');
    panel.addWidget(outputs);
  }
  return panel;
}

/** A main-area panel showing `notebook` (nbformat JSON) of `run`, read-only. */
export function outputNotebookWidget(run: FlowRun, notebook: any, rendermime: IRenderMimeRegistry): MainAreaWidget {
  const content = new Panel();
  content.addClass('orchestr-lab-output-notebook');
  content.node.dataset.runId = run.id;
  for (const cell of notebook?.cells ?? []) {
    content.addWidget(cellWidget(cell, rendermime));
  }
  const widget = new MainAreaWidget({ content });
  widget.id = `orchestr-lab-output-${run.id}`;
  const base = (run.notebook ?? 'notebook').split('/').pop();
  widget.title.label = `${base} · ${run.name} (read-only)`;
  widget.title.caption = `Executed notebook of run ${run.name} (${run.id}); read-only`;
  widget.title.closable = true;
  return widget;
}

/** Fetch `run`'s executed notebook and show it in the main area, replacing an older view of it. */
export async function openOutputNotebook(
  app: JupyterFrontEnd,
  api: OrchestrApi,
  rendermime: IRenderMimeRegistry | null,
  run: FlowRun
): Promise<void> {
  const notebook = await api.outputNotebook(run.id);
  if (!rendermime) {
    throw new Error('no renderers are available in this JupyterLab');
  }
  const widget = outputNotebookWidget(run, notebook, rendermime);
  Array.from(app.shell.widgets('main'))
    .find(w => w.id === widget.id)
    ?.dispose();
  app.shell.add(widget, 'main');
  app.shell.activateById(widget.id);
}
