/**
 * The extension's commands (stable ids, listed in the README) and where they appear: the file browser's
 * context menu, every notebook's toolbar, the command palette.
 */
import { ILabShell, JupyterFrontEnd } from '@jupyterlab/application';
import { CommandToolbarButton, ICommandPalette, MainAreaWidget, Notification } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookModel, INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { OrchestrApi } from './api';
import { orchestrIcon } from './icon';
import { OrchestrModel } from './model';
import { ScheduleFormWidget } from './scheduleForm';
import { OrchestrSidebar, SIDEBAR_ID } from './sidebar';
import { ISweep } from './sweepModel';
import { openSweepPanel } from './sweepTable';

/** The command ids (stable: tests and users' tooling rely on them; the README lists them). */
export namespace CommandIDs {
  export const scheduleNotebook = 'orchestr-lab:schedule-notebook';
  export const openSidebar = 'orchestr-lab:open-sidebar';
  export const runDeployment = 'orchestr-lab:run-deployment';
  export const openSweep = 'orchestr-lab:open-sweep';
}

/** What the commands act on. */
export interface IOrchestrContext {
  app: JupyterFrontEnd;
  api: OrchestrApi;
  model: OrchestrModel;
  sidebar: OrchestrSidebar;
}

/** Where the notebook to schedule may come from (each optional in JupyterLab). */
export interface INotebookSources {
  labShell: ILabShell | null;
  fileBrowser: IDefaultFileBrowser | null;
  notebooks: INotebookTracker | null;
}

/** Tell the user an action failed (a notification that stays a while). */
export function notifyError(message: string): void {
  Notification.error(message, { autoClose: 8000 });
}

function isNotebookPath(path: unknown): path is string {
  return typeof path === 'string' && path.endsWith('.ipynb');
}

/** The notebook a command is about: its `path` argument, the current notebook, or the selection. */
function targetPath(args: Readonly<Record<string, unknown>>, sources: INotebookSources): string | null {
  const { labShell, fileBrowser, notebooks } = sources;
  if (isNotebookPath(args.path)) {
    return args.path;
  }
  if (args.origin !== 'filebrowser') {
    const current = notebooks?.currentWidget;
    if (current && labShell?.currentWidget === current) {
      return current.context.path;
    }
  }
  const selected = fileBrowser?.selectedItems().next();
  if (selected && !selected.done && isNotebookPath(selected.value.path)) {
    return selected.value.path;
  }
  return notebooks?.currentWidget?.context.path ?? null;
}

/** The schedule form of `path` in the main area (the open one, if there is one). */
function openScheduleForm(ctx: IOrchestrContext, path: string): void {
  const { app, api, model } = ctx;
  const id = `orchestr-lab-schedule-${path}`;
  if (Array.from(app.shell.widgets('main')).some(w => w.id === id)) {
    app.shell.activateById(id);
    return;
  }
  const form = new ScheduleFormWidget({
    api,
    path,
    onCreated: deployment => {
      Notification.success(`Deployment “${deployment.name}” created.`, { autoClose: 5000 });
      panel.dispose();
      void model.refresh();
      app.shell.activateById(SIDEBAR_ID);
    },
    onCancel: () => panel.dispose()
  });
  const panel = new MainAreaWidget({ content: form });
  panel.id = id;
  panel.title.label = `Schedule ${path.split('/').pop()}`;
  panel.title.icon = orchestrIcon;
  panel.title.closable = true;
  app.shell.add(panel, 'main');
  app.shell.activateById(id);
}

export function addCommands(ctx: IOrchestrContext, sources: INotebookSources): void {
  const { app, api, model, sidebar } = ctx;

  app.commands.addCommand(CommandIDs.openSidebar, {
    label: 'Open the Orchestration sidebar',
    caption: 'Deployments and runs of orchestr-lab',
    icon: orchestrIcon,
    execute: args => {
      app.shell.activateById(SIDEBAR_ID);
      if (typeof args.runId === 'string') {
        sidebar.showRun(args.runId);
      }
    }
  });

  app.commands.addCommand(CommandIDs.scheduleNotebook, {
    label: 'Schedule notebook…',
    caption: 'Create a deployment of this notebook: parameters, schedule, queue, retries',
    icon: orchestrIcon,
    execute: args => {
      const path = targetPath(args, sources);
      if (path) {
        openScheduleForm(ctx, path);
      } else {
        notifyError('Schedule notebook: select or open a notebook (.ipynb) first.');
      }
    }
  });

  app.commands.addCommand(CommandIDs.runDeployment, {
    label: args => (args.name ? `Run deployment ${String(args.name)}` : 'Run a deployment now'),
    caption: 'Start a run of a deployment now (args: id or name, parameters)',
    execute: async args => {
      const id = String(args.id ?? args.name ?? '');
      if (!id) {
        app.shell.activateById(SIDEBAR_ID);
        return undefined;
      }
      try {
        const run = await api.runDeployment(id, (args.parameters as Record<string, unknown>) ?? {});
        model.addRun(run);
        void model.refresh();
        return run;
      } catch (error) {
        notifyError(`Run ${id}: ${(error as Error).message}`);
        return undefined;
      }
    }
  });

  app.commands.addCommand(CommandIDs.openSweep, {
    label: 'Open a sweep’s results',
    caption: 'A sweep’s results table in the main area, live while it runs (args: id)',
    execute: args => {
      const sweep = (args.sweep as ISweep | undefined) ?? null;
      const id = String(args.id ?? sweep?.id ?? '');
      if (id) {
        openSweepPanel(app, api.settings, id, {
          initial: sweep,
          onOpenRun: runId => void app.commands.execute(CommandIDs.openSidebar, { runId })
        });
      }
    }
  });
}

/** "Schedule notebook…" in the file browser's context menu, every notebook's toolbar, the palette. */
export function addMenuItems(app: JupyterFrontEnd, palette: ICommandPalette | null): void {
  app.contextMenu.addItem({
    command: CommandIDs.scheduleNotebook,
    args: { origin: 'filebrowser' },
    selector: '.jp-DirListing-item[data-file-type="notebook"]',
    rank: 20
  });
  app.docRegistry.addWidgetExtension('Notebook', new ScheduleButtonExtension(app));
  palette?.addItem({ command: CommandIDs.openSidebar, category: 'Orchestration' });
  palette?.addItem({ command: CommandIDs.scheduleNotebook, category: 'Orchestration' });
}

/** "Schedule notebook…" in every notebook's toolbar. */
class ScheduleButtonExtension implements DocumentRegistry.IWidgetExtension<NotebookPanel, INotebookModel> {
  constructor(private readonly _app: JupyterFrontEnd) {}

  createNew(panel: NotebookPanel): IDisposable {
    const button = new CommandToolbarButton({
      commands: this._app.commands,
      id: CommandIDs.scheduleNotebook,
      args: { toolbar: true },
      label: 'Schedule…'
    });
    button.addClass('orchestr-lab-toolbar-schedule');
    panel.toolbar.insertItem(10, 'orchestr-lab-schedule', button);
    return new DisposableDelegate(() => button.dispose());
  }
}
