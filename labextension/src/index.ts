/**
 * orchestr-lab's JupyterLab extension: the "Orchestration" sidebar and "Schedule notebook…".
 *
 * Everything goes through the server extension's REST API (`<base_url>/orchestr-lab/api/`);
 * on activation we check that it answers and say so plainly when it does not.
 */
import { ILabShell, ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ServerConnection } from '@jupyterlab/services';

import { OrchestrApi } from './api';
import { addCommands, addMenuItems, CommandIDs, notifyError } from './commands';
import { orchestrIcon } from './icon';
import { OrchestrModel } from './model';
import { openOutputNotebook } from './outputNotebook';
import { apiUrl } from './request';
import { setRunViewsShell } from './runDiff';
import { OrchestrSidebar, SIDEBAR_ID } from './sidebar';

export { CommandIDs } from './commands';
export { orchestrIcon } from './icon';

/** Is the server extension there? Go live if so; otherwise say so in the sidebar and a notification. */
function connect(api: OrchestrApi, model: OrchestrModel, sidebar: OrchestrSidebar): void {
  void api
    .health()
    .then(() => model.start())
    .catch(error => {
      const where = apiUrl(api.settings, 'health');
      const message =
        `orchestr-lab's server extension does not answer (${where}: ${(error as Error).message}). ` +
        'Schedules and runs are unavailable. Check that `jupyter server extension list` shows ' +
        'orchestr_lab enabled, then restart JupyterLab.';
      sidebar.serverProblem = message;
      Notification.error(message, { autoClose: false });
    });
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
    const api = new OrchestrApi(app.serviceManager.serverSettings ?? ServerConnection.makeSettings());
    const model = new OrchestrModel(api);
    const sidebar = new OrchestrSidebar(model, {
      openOutputNotebook: run =>
        void openOutputNotebook(app, api, rendermime, run).catch(error =>
          notifyError(`Output notebook of ${run.name}: ${(error as Error).message}`)
        ),
      notifyError,
      openSweep: sweep => void app.commands.execute(CommandIDs.openSweep, { id: sweep.id, sweep: sweep as any })
    });
    sidebar.title.icon = orchestrIcon;
    sidebar.title.caption = 'Orchestration: deployments and runs';
    app.shell.add(sidebar, 'left', { rank: 600 });
    setRunViewsShell(app.shell);
    restorer?.add(sidebar, SIDEBAR_ID);

    connect(api, model, sidebar);
    addCommands({ app, api, model, sidebar }, { labShell, fileBrowser, notebooks });
    addMenuItems(app, palette);
  }
};

export default plugin;
