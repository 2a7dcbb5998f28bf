/**
 * orchestr-lab's JupyterLab extension: the "Orchestration" sidebar and "Schedule notebook…".
 *
 * Everything goes through the server extension's REST API (`<base_url>/orchestr-lab/api/`);
 * on activation we check that it answers and say so plainly when it does not.
 */
import { ILabShell, ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { CommandToolbarButton, ICommandPalette, MainAreaWidget, Notification } from '@jupyterlab/apputils';
import { DocumentRegistry } from '@jupyterlab/docregistry';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookModel, INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ServerConnection } from '@jupyterlab/services';
import { LabIcon } from '@jupyterlab/ui-components';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';

import { FlowRun, OrchestrApi } from './api';
import { OrchestrModel } from './model';
import { outputNotebookWidget } from './outputNotebook';
import { apiUrl } from './request';
import { ScheduleFormWidget } from './scheduleForm';
import { OrchestrSidebar, SIDEBAR_ID } from './sidebar';

/** DESIGN.md's command ids (stable; tests and users' tooling rely on them). */
export namespace CommandIDs {
  export const scheduleNotebook = 'orchestr-lab:schedule-notebook';
  export const openSidebar = 'orchestr-lab:open-sidebar';
  export const runDeployment = 'orchestr-lab:run-deployment';
}

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <circle cx="5" cy="6" r="2.6"/><circle cx="19" cy="6" r="2.6"/><circle cx="12" cy="18" r="2.6"/>
    <path d="M7.2 7.4l3.6 8.2 1.6-.7-3.6-8.2zM16.8 7.4l-3.6 8.2-1.6-.7 3.6-8.2zM7.5 5.2h9v1.6h-9z"/>
  </g>
</svg>`;

export const orchestrIcon = new LabIcon({ name: 'orchestr-lab:icon', svgstr: ICON_SVG });

function isNotebookPath(path: unknown): path is string {
  return typeof path === 'string' && path.endsWith('.ipynb');
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'orchestr-lab:plugin',
  description: 'Schedule notebooks and watch their runs live (orchestr-lab).',
  autoStart: true,
  optional: [ILabShell, ILayoutRestorer, IDefaultFileBrowser, INotebookTracker, ICommandPalette, IRenderMimeRegistry],
  activate: (
    app: JupyterFrontEnd,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    fileBrowser: IDefaultFileBrowser | null,
    notebooks: INotebookTracker | null,
    palette: ICommandPalette | null,
    rendermime: IRenderMimeRegistry | null
  ) => {
    const settings = app.serviceManager.serverSettings ?? ServerConnection.makeSettings();
    const api = new OrchestrApi(settings);
    const model = new OrchestrModel(api);

    const notifyError = (message: string) => {
      Notification.error(message, { autoClose: 8000 });
    };

    const openOutputNotebook = async (run: FlowRun) => {
      try {
        const notebook = await api.outputNotebook(run.id);
        if (!rendermime) {
          throw new Error('no renderers are available in this JupyterLab');
        }
        const widget = outputNotebookWidget(run, notebook, rendermime);
        const existing = Array.from(app.shell.widgets('main')).find(w => w.id === widget.id);
        if (existing) {
          existing.dispose();
        }
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
      } catch (error) {
        notifyError(`Output notebook of ${run.name}: ${(error as Error).message}`);
      }
    };

    const sidebar = new OrchestrSidebar(model, {
      openOutputNotebook: run => void openOutputNotebook(run),
      notifyError
    });
    sidebar.title.icon = orchestrIcon;
    sidebar.title.caption = 'Orchestration: deployments and runs';
    app.shell.add(sidebar, 'left', { rank: 600 });
    restorer?.add(sidebar, SIDEBAR_ID);

    // Is the server extension there? Say so plainly if not; otherwise go live.
    void api
      .health()
      .then(() => model.start())
      .catch(error => {
        const where = apiUrl(settings, 'health');
        const message =
          `orchestr-lab's server extension does not answer (${where}: ${(error as Error).message}). ` +
          'Schedules and runs are unavailable. Check that `jupyter server extension list` shows ' +
          'orchestr_lab enabled, then restart JupyterLab.';
        sidebar.serverProblem = message;
        Notification.error(message, { autoClose: false });
      });

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

    /** The notebook the command is about: its `path` argument, the current notebook, or the selection. */
    const targetPath = (args: Record<string, unknown>): string | null => {
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
    };

    app.commands.addCommand(CommandIDs.scheduleNotebook, {
      label: 'Schedule notebook…',
      caption: 'Create a deployment of this notebook: parameters, schedule, queue, retries',
      icon: orchestrIcon,
      execute: args => {
        const path = targetPath(args);
        if (!path) {
          notifyError('Schedule notebook: select or open a notebook (.ipynb) first.');
          return;
        }
        const id = `orchestr-lab-schedule-${path}`;
        const open = Array.from(app.shell.widgets('main')).find(w => w.id === id);
        if (open) {
          app.shell.activateById(id);
          return;
        }
        let panel: MainAreaWidget;
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
        panel = new MainAreaWidget({ content: form });
        panel.id = id;
        panel.title.label = `Schedule ${path.split('/').pop()}`;
        panel.title.icon = orchestrIcon;
        panel.title.closable = true;
        app.shell.add(panel, 'main');
        app.shell.activateById(id);
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
};

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

export default plugin;
