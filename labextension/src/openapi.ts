export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Is the extension up; its version and services */
        get: operations["get_health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["get_openapi_json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notebooks/parameters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The parameters cell of a notebook under the server root */
        get: operations["get_notebooks_parameters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deployments by name, with their next runs; paged (headers X-Next-Cursor, X-Total-Count, Link) */
        get: operations["get_deployments"];
        put?: never;
        /** Create a deployment (409 if the name is taken) */
        post: operations["post_deployments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments/{deployment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One deployment (by id or name) */
        get: operations["get_deployments_deployment_id"];
        put?: never;
        post?: never;
        /** Delete a deployment and its scheduled runs */
        delete: operations["delete_deployments_deployment_id"];
        options?: never;
        head?: never;
        /** Change some fields of a deployment */
        patch: operations["patch_deployments_deployment_id"];
        trace?: never;
    };
    "/deployments/{deployment_id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop scheduling runs */
        post: operations["post_deployments_deployment_id_pause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments/{deployment_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule runs again */
        post: operations["post_deployments_deployment_id_resume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments/{deployment_id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run now, with parameter overrides */
        post: operations["post_deployments_deployment_id_runs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments/{deployment_id}/next_runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The next fire times of the deployment's schedules */
        get: operations["get_deployments_deployment_id_next_runs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schedules/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Fire times of an unsaved schedule */
        post: operations["post_schedules_preview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Flow runs, newest first, filtered; paged by cursor (next_cursor) or offset */
        get: operations["get_flow_runs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One flow run */
        get: operations["get_flow_runs_flow_run_id"];
        put?: never;
        post?: never;
        /** Delete a flow run and everything it recorded */
        delete: operations["delete_flow_runs_flow_run_id"];
        options?: never;
        head?: never;
        /** Rename, retag or re-parameterise a flow run */
        patch: operations["patch_flow_runs_flow_run_id"];
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a run (a running one is stopped) */
        post: operations["post_flow_runs_flow_run_id_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed, crashed or cancelled run again (a failed notebook run: from its failing cell, if asked) */
        post: operations["post_flow_runs_flow_run_id_retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/task_runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's task runs (a notebook's cells) */
        get: operations["get_flow_runs_flow_run_id_task_runs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The run's log lines, oldest first */
        get: operations["get_flow_runs_flow_run_id_logs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/recorded": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Outputs recorded with record() */
        get: operations["get_flow_runs_flow_run_id_recorded"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/notebook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The executed notebook (nbformat JSON) */
        get: operations["get_flow_runs_flow_run_id_notebook"];
        /** Upload a run's executed notebook */
        put: operations["put_flow_runs_flow_run_id_notebook"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/task_runs/{task_run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One task run (the caller of a subflow run) */
        get: operations["get_task_runs_task_run_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Flows that have run here, by name, with run counts */
        get: operations["get_flows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flows/{flow_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One flow (by id or name) */
        get: operations["get_flows_flow_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/concurrency_limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Concurrency limits by tag, with slots in use */
        get: operations["get_concurrency_limits"];
        put?: never;
        /** Limit the active runs carrying a tag */
        post: operations["post_concurrency_limits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/concurrency_limits/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One tag's limit */
        get: operations["get_concurrency_limits_tag"];
        put?: never;
        post?: never;
        /** Remove a tag's limit */
        delete: operations["delete_concurrency_limits_tag"];
        options?: never;
        head?: never;
        /** Change a tag's limit */
        patch: operations["patch_concurrency_limits_tag"];
        trace?: never;
    };
    "/automations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Automations, with their latest firings */
        get: operations["get_automations"];
        put?: never;
        /** On a deployment's run ending: call a webhook or run another deployment */
        post: operations["post_automations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/automations/{automation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One automation (by id or name) */
        get: operations["get_automations_automation_id"];
        put?: never;
        post?: never;
        /** Delete an automation */
        delete: operations["delete_automations_automation_id"];
        options?: never;
        head?: never;
        /** Change an automation */
        patch: operations["patch_automations_automation_id"];
        trace?: never;
    };
    "/work_queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All work queues */
        get: operations["get_work_queues"];
        put?: never;
        /** Create a work queue */
        post: operations["post_work_queues"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/work_queues/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One work queue */
        get: operations["get_work_queues_name"];
        put?: never;
        post?: never;
        /** Delete a work queue */
        delete: operations["delete_work_queues_name"];
        options?: never;
        head?: never;
        /** Pause, resume or limit a work queue */
        patch: operations["patch_work_queues_name"];
        trace?: never;
    };
    "/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Workers and when they were last seen */
        get: operations["get_workers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workers/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A worker is alive, and so are its runs; answers which runs to stop */
        post: operations["post_workers_heartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workers/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Claim the oldest due run of some queues (null: none due) */
        post: operations["post_workers_claim"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/workers/ops": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Write a batch of the engine's store operations */
        post: operations["post_workers_ops"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/set_state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a flow run to a state (409: illegal) */
        post: operations["post_flow_runs_flow_run_id_set_state"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/task_runs/{task_run_id}/set_state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a task run to a state (409: illegal) */
        post: operations["post_task_runs_task_run_id_set_state"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record how a worker's attempt ended (or schedule a retry) */
        post: operations["post_flow_runs_flow_run_id_finish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notebooks/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A notebook under the server root (nbformat JSON) */
        get: operations["get_notebooks_content"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entrypoints/source": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A flow file (.py) under the server root, for remote workers */
        get: operations["get_entrypoints_source"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events after a cursor, oldest first */
        get: operations["get_events"];
        put?: never;
        /** Emit an event (Prefect's shape); automations may react to it */
        post: operations["post_events"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** WebSocket: every new event as a JSON text message, as it happens */
        get: operations["get_events_stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/artifacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Artifacts, newest first, by run, key or type */
        get: operations["get_artifacts"];
        put?: never;
        /** A new artifact (with a key already used: that key's latest version) */
        post: operations["post_artifacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/artifacts/latest/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A key's latest version */
        get: operations["get_artifacts_latest_key"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/artifacts/{artifact_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One artifact */
        get: operations["get_artifacts_artifact_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change an artifact's data or description (a progress artifact moves) */
        patch: operations["patch_artifacts_artifact_id"];
        trace?: never;
    };
    "/variables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Variables by name */
        get: operations["get_variables"];
        put?: never;
        /** Create a variable (a named JSON value) */
        post: operations["post_variables"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/variables/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One variable */
        get: operations["get_variables_name"];
        put?: never;
        post?: never;
        /** Delete a variable */
        delete: operations["delete_variables_name"];
        options?: never;
        head?: never;
        /** Change a variable */
        patch: operations["patch_variables_name"];
        trace?: never;
    };
    "/block_types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Registered block types */
        get: operations["get_block_types"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/blocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Saved blocks, secrets hidden */
        get: operations["get_blocks"];
        put?: never;
        /** Save a block (its data stored encrypted) */
        post: operations["post_blocks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/blocks/{block_type}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One saved block (secrets only with include_secrets) */
        get: operations["get_blocks_block_type_name"];
        put?: never;
        post?: never;
        /** Delete a saved block */
        delete: operations["delete_blocks_block_type_name"];
        options?: never;
        head?: never;
        /** Replace a saved block's data */
        patch: operations["patch_blocks_block_type_name"];
        trace?: never;
    };
    "/global_concurrency_limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Global concurrency and rate limits, by name */
        get: operations["get_global_concurrency_limits"];
        put?: never;
        /** Create a global concurrency limit (with slot_decay_per_second: a rate limit) */
        post: operations["post_global_concurrency_limits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/global_concurrency_limits/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One global concurrency limit */
        get: operations["get_global_concurrency_limits_name"];
        put?: never;
        post?: never;
        /** Delete a global concurrency limit */
        delete: operations["delete_global_concurrency_limits_name"];
        options?: never;
        head?: never;
        /** Change a global concurrency limit */
        patch: operations["patch_global_concurrency_limits_name"];
        trace?: never;
    };
    "/global_concurrency_leases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take slots of limits, all or none (granted false: ask again after retry_after seconds) */
        post: operations["post_global_concurrency_leases"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/global_concurrency_leases/{lease_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Hand a lease's slots back */
        delete: operations["delete_global_concurrency_leases_lease_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/global_concurrency_leases/{lease_id}/renew": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hold a lease's slots longer (404: it expired) */
        post: operations["post_global_concurrency_leases_lease_id_renew"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Propose a state (ACCEPT or REJECT with the reason; force skips the rules) */
        post: operations["post_flow_runs_flow_run_id_state"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/background_task_runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A background task run for a task worker (Task.delay) */
        post: operations["post_background_task_runs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/background_task_runs/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take the oldest waiting run of these task keys (task workers) */
        post: operations["post_background_task_runs_claim"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/background_task_runs/{task_run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One background task run, with its result once final */
        get: operations["get_background_task_runs_task_run_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/background_task_runs/{task_run_id}/finish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record how a claimed run ended, with its result (409 unless RUNNING) */
        post: operations["post_background_task_runs_task_run_id_finish"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Assets by key, one page */
        get: operations["get_assets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{asset_key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One asset (its key URL-encoded): materializations, upstream and downstream assets */
        get: operations["get_assets_asset_key"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/asset_materializations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a task run's materialization (remote workers) */
        post: operations["post_asset_materializations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a RUNNING run (its own code asks) */
        post: operations["post_flow_runs_flow_run_id_pause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/input_schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a paused run asks for: the JSON schema of its input (404: not paused for input) */
        get: operations["get_flow_runs_flow_run_id_input_schema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a PAUSED run with input matching its schema (422 names the field; 409: not PAUSED) */
        post: operations["post_flow_runs_flow_run_id_resume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/input": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The input a run was resumed with for one pause (its key) */
        get: operations["get_flow_runs_flow_run_id_input"];
        put?: never;
        /** Send a flow run a keyed JSON value (409: the key is taken) */
        post: operations["post_flow_runs_flow_run_id_input"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/work_pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All work pools, with their queues */
        get: operations["get_work_pools"];
        put?: never;
        /** Create a work pool (with its own queue of the same name) */
        post: operations["post_work_pools"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/work_pools/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One work pool: type, base job variables and their schema, queues */
        get: operations["get_work_pools_name"];
        put?: never;
        post?: never;
        /** Delete a work pool (its queues go back to the default pool) */
        delete: operations["delete_work_pools_name"];
        options?: never;
        head?: never;
        /** Change a pool's base job variables, pause or describe it */
        patch: operations["patch_work_pools_name"];
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/input/filter": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A run's inputs whose key starts with a prefix, oldest first, leaving out given keys */
        post: operations["post_flow_runs_flow_run_id_input_filter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/input/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One input of a run, by key */
        get: operations["get_flow_runs_flow_run_id_input_key"];
        put?: never;
        post?: never;
        /** Delete one input of a run */
        delete: operations["delete_flow_runs_flow_run_id_input_key"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments/{deployment_id}/sweeps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a deployment over a parameter grid or list of parameter sets (a sweep) */
        post: operations["post_deployments_deployment_id_sweeps"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sweeps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Sweeps newest first, without members */
        get: operations["get_sweeps"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sweeps/{sweep_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One sweep with its members and their outputs */
        get: operations["get_sweeps_sweep_id"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sweeps/{sweep_id}/table": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A sweep as one table: parameters, state, duration, recorded outputs (JSON or CSV) */
        get: operations["get_sweeps_sweep_id_table"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sweeps/{sweep_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rerun only the failed, crashed or cancelled members (409 while the sweep runs) */
        post: operations["post_sweeps_sweep_id_retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/sweeps/{sweep_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel every member not final */
        post: operations["post_sweeps_sweep_id_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What changed since another run (default: the deployment's previous COMPLETED run) */
        get: operations["get_flow_runs_flow_run_id_diff"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flow_runs/{flow_run_id}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The executed notebook as an HTML page (no_input: without the code) */
        get: operations["get_flow_runs_flow_run_id_report"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** ArtifactCreate */
        ArtifactCreate: {
            /**
             * Key
             * @description lowercase letters, digits and dashes
             * @default null
             */
            key: string | null;
            /**
             * Type
             * @description markdown, table, link, image, progress, ...
             * @default null
             */
            type: string | null;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Data
             * @description any JSON, at most 1,048,576 bytes
             * @default null
             */
            data: unknown;
            /**
             * Metadata
             * @default null
             */
            metadata_: {
                [key: string]: string;
            } | null;
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /**
             * Task Run Id
             * @default null
             */
            task_run_id: string | null;
        };
        /**
         * ArtifactPage
         * @description A page of artifacts, newest first; pass ``next_cursor`` back as ``cursor`` for the next.
         */
        ArtifactPage: {
            /** Items */
            items: components["schemas"]["ArtifactRead"][];
            /**
             * Total
             * @description how many match, counted up to 10,000
             */
            total: number;
            /**
             * Total Exact
             * @default true
             */
            total_exact: boolean;
            /**
             * Next Cursor
             * @default null
             */
            next_cursor: string | null;
        };
        /** ArtifactRead */
        ArtifactRead: {
            /** Id */
            id: string;
            /**
             * Key
             * @default null
             */
            key: string | null;
            /**
             * Type
             * @default null
             */
            type: string | null;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Data
             * @default null
             */
            data: unknown;
            /**
             * Metadata
             * @default null
             */
            metadata_: {
                [key: string]: string;
            } | null;
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /**
             * Task Run Id
             * @default null
             */
            task_run_id: string | null;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
        };
        /** ArtifactUpdate */
        ArtifactUpdate: {
            /**
             * Data
             * @default null
             */
            data: unknown;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Metadata
             * @default null
             */
            metadata_: {
                [key: string]: string;
            } | null;
        };
        /** AssetDetail */
        AssetDetail: {
            /** Key */
            key: string;
            /** Properties */
            properties?: {
                [key: string]: unknown;
            };
            /**
             * Last Metadata
             * @description the latest successful materialization's
             * @default null
             */
            last_metadata: {
                [key: string]: unknown;
            } | null;
            /**
             * Last Materialized
             * @default null
             */
            last_materialized: string | null;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
            /**
             * Materializations
             * @description the latest: flow run, task run, status, metadata, when
             */
            materializations?: {
                [key: string]: unknown;
            }[];
            /**
             * Upstream
             * @description assets read to make this one
             */
            upstream?: string[];
            /**
             * Downstream
             * @description assets made from this one
             */
            downstream?: string[];
        };
        /** AssetPage */
        AssetPage: {
            /** Items */
            items: components["schemas"]["AssetRead"][];
            /**
             * Total
             * @description assets matching the query
             */
            total: number;
        };
        /** AssetRead */
        AssetRead: {
            /** Key */
            key: string;
            /** Properties */
            properties?: {
                [key: string]: unknown;
            };
            /**
             * Last Metadata
             * @description the latest successful materialization's
             * @default null
             */
            last_metadata: {
                [key: string]: unknown;
            } | null;
            /**
             * Last Materialized
             * @default null
             */
            last_materialized: string | null;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
        };
        /** AssetRef */
        AssetRef: {
            /** Key */
            key: string;
            /**
             * Properties
             * @description name, description, url, owners
             * @default null
             */
            properties: {
                [key: string]: unknown;
            } | null;
        };
        /**
         * AttemptFinish
         * @description How a worker's attempt ended; the server turns a failure into a retry when one is left.
         */
        AttemptFinish: {
            state: components["schemas"]["StateIn"];
        };
        /**
         * AutomationCreate
         * @description When a run of ``deployment_id`` ends in one of ``states``: POST the run to ``webhook_url``,
         *     or run ``target_deployment_id`` with the upstream run's recorded outputs as parameters.
         */
        AutomationCreate: {
            /** Name */
            name: string;
            /**
             * Deployment Id
             * @description the upstream deployment (id or name); or give event instead
             * @default null
             */
            deployment_id: string | null;
            /** States */
            states?: ("COMPLETED" | "FAILED" | "CRASHED" | "CANCELLED")[];
            /**
             * Event
             * @description react to each event of this name instead of a deployment's runs (a trailing * matches a prefix)
             * @default null
             */
            event: string | null;
            /**
             * Event Resource
             * @description and only to events whose resource id matches this (a trailing * matches a prefix)
             * @default null
             */
            event_resource: string | null;
            /**
             * Action
             * @description webhook: POST the run or event as JSON; run_deployment: start target_deployment_id; notify: a message naming the run, its state, failing cell, duration and report, mailed to email_to and/or posted as {'text': ...} to webhook_url (Slack, Teams)
             * @enum {string}
             */
            action: "webhook" | "run_deployment" | "notify";
            /**
             * Webhook Url
             * @default null
             */
            webhook_url: string | null;
            /**
             * Email To
             * @description notify: the addresses to mail (SMTP settings)
             * @default null
             */
            email_to: string[] | null;
            /**
             * Target Deployment Id
             * @description the deployment to run (id or name)
             * @default null
             */
            target_deployment_id: string | null;
            /**
             * Parameters
             * @description fixed parameters for the triggered run (recorded outputs win)
             */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * Enabled
             * @default true
             */
            enabled: boolean;
        } & (({
            /** @constant */
            action?: "webhook";
            webhook_url: string;
        } | {
            /** @constant */
            action?: "run_deployment";
            target_deployment_id: string;
        } | ({
            /** @constant */
            action: "notify";
        } | {
            email_to: unknown[];
        } | {
            webhook_url: string;
        })) & ({
            deployment_id: string;
            event?: null;
            event_resource?: null;
        } | {
            event: string;
            deployment_id?: null;
        }));
        /** AutomationRead */
        AutomationRead: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Deployment Id
             * @default null
             */
            deployment_id: string | null;
            /**
             * Event
             * @description the event name it reacts to (instead of a deployment)
             * @default null
             */
            event: string | null;
            /**
             * Event Resource
             * @default null
             */
            event_resource: string | null;
            /** States */
            states: components["schemas"]["StateType"][];
            /** Action */
            action: string;
            /**
             * Webhook Url
             * @default null
             */
            webhook_url: string | null;
            /**
             * Email To
             * @default null
             */
            email_to: string[] | null;
            /**
             * Target Deployment Id
             * @default null
             */
            target_deployment_id: string | null;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * Enabled
             * @default true
             */
            enabled: boolean;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
            /**
             * Firings
             * @description the latest firings: run, state, when, outcome, triggered run
             */
            firings?: {
                [key: string]: unknown;
            }[];
        };
        /** AutomationUpdate */
        AutomationUpdate: {
            /**
             * States
             * @default null
             */
            states: ("COMPLETED" | "FAILED" | "CRASHED" | "CANCELLED")[] | null;
            /**
             * Webhook Url
             * @default null
             */
            webhook_url: string | null;
            /**
             * Email To
             * @default null
             */
            email_to: string[] | null;
            /**
             * Target Deployment Id
             * @default null
             */
            target_deployment_id: string | null;
            /**
             * Parameters
             * @default null
             */
            parameters: {
                [key: string]: unknown;
            } | null;
            /**
             * Enabled
             * @default null
             */
            enabled: boolean | null;
        };
        /**
         * BackgroundTaskClaim
         * @description Take the oldest SCHEDULED background task run of one of these task keys.
         */
        BackgroundTaskClaim: {
            /**
             * Name
             * @description the claiming task worker
             */
            name: string;
            /** Task Keys */
            task_keys: string[];
        };
        /** BackgroundTaskClaimed */
        BackgroundTaskClaimed: {
            /** @default null */
            run: components["schemas"]["BackgroundTaskRead"] | null;
        };
        /**
         * BackgroundTaskCreate
         * @description A task run for a task worker serving ``task_key`` (``Task.delay``).
         */
        BackgroundTaskCreate: {
            /** Task Key */
            task_key: string;
            /** Name */
            name: string;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /** Tags */
            tags?: string[];
        };
        /**
         * BackgroundTaskFinish
         * @description How a claimed background task run ended: a final state, and the value when COMPLETED.
         */
        BackgroundTaskFinish: {
            state: components["schemas"]["StateIn"];
            /**
             * Result
             * @description {"json": value} or {"pickle": base64}
             * @default null
             */
            result: {
                [key: string]: unknown;
            } | null;
        };
        /** BackgroundTaskRead */
        BackgroundTaskRead: {
            /** Id */
            id: string;
            /** Task Key */
            task_key: string;
            /** Name */
            name: string;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /** Tags */
            tags?: string[];
            /** @default null */
            state: components["schemas"]["StateRead"] | null;
            /**
             * Worker Name
             * @default null
             */
            worker_name: string | null;
            /**
             * Result
             * @description the return value once COMPLETED: {"json": value} or {"pickle": base64 of its cloudpickle}
             * @default null
             */
            result: unknown;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Start Time
             * @default null
             */
            start_time: string | null;
            /**
             * End Time
             * @default null
             */
            end_time: string | null;
        };
        /** BlockCreate */
        BlockCreate: {
            /** Name */
            name: string;
            block_type: components["schemas"]["BlockTypeIn"];
            block_schema: components["schemas"]["BlockSchemaIn"];
            /**
             * Data
             * @description the block's field values; stored encrypted
             */
            data: {
                [key: string]: unknown;
            };
        };
        /** BlockRead */
        BlockRead: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /** Block Type Slug */
            block_type_slug: string;
            /** Block Type Name */
            block_type_name: string;
            /** Block Schema Checksum */
            block_schema_checksum: string;
            /** Capabilities */
            capabilities?: string[];
            /** Secret Fields */
            secret_fields?: string[];
            /**
             * Data
             * @description secret fields read '********' unless include_secrets was asked
             */
            data: {
                [key: string]: unknown;
            };
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
        };
        /**
         * BlockSchemaIn
         * @description A block class's fields as a JSON schema; a class whose schema changes registers a new one.
         */
        BlockSchemaIn: {
            /**
             * Checksum
             * @description sha256 of the fields' JSON schema, as Block computes it
             */
            checksum: string;
            /**
             * Fields
             * @description the block class's JSON schema
             */
            fields: {
                [key: string]: unknown;
            };
            /**
             * Secret Fields
             * @description dotted paths of the fields kept secret (SecretStr and the like)
             */
            secret_fields?: string[];
            /** Capabilities */
            capabilities?: string[];
            /**
             * Version
             * @default 1
             */
            version: string;
        };
        /** BlockTypeIn */
        BlockTypeIn: {
            /** Slug */
            slug: string;
            /** Name */
            name: string;
            /**
             * Description
             * @default null
             */
            description: string | null;
        };
        /** BlockTypeRead */
        BlockTypeRead: {
            /** Id */
            id: string;
            /** Slug */
            slug: string;
            /** Name */
            name: string;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Checksum
             * @description the newest registered schema's checksum
             */
            checksum: string;
            /** Capabilities */
            capabilities?: string[];
            /**
             * Schemas
             * @description schemas registered for this type (one per class change)
             * @default 1
             */
            schemas: number;
            /**
             * Blocks
             * @description saved blocks of this type
             * @default 0
             */
            blocks: number;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
        };
        /** BlockUpdate */
        BlockUpdate: {
            /**
             * @description the schema the new data follows
             * @default null
             */
            block_schema: components["schemas"]["BlockSchemaIn"] | null;
            /** Data */
            data: {
                [key: string]: unknown;
            };
        };
        /**
         * CellChange
         * @description A cell that changed: ``index`` in this run's executed notebook (null: the cell is gone),
         *     ``old_index`` in the other's.
         */
        CellChange: {
            /**
             * Index
             * @default null
             */
            index: number | null;
            /**
             * Old Index
             * @default null
             */
            old_index: number | null;
            /** Cell Type */
            cell_type: string;
            /**
             * Change
             * @enum {string}
             */
            change: "added" | "removed" | "modified";
            /**
             * Source Changed
             * @default false
             */
            source_changed: boolean;
            /**
             * Outputs Changed
             * @default false
             */
            outputs_changed: boolean;
            /**
             * Source
             * @default
             */
            source: string;
            /**
             * Old Source
             * @default null
             */
            old_source: string | null;
            /** Outputs */
            outputs?: components["schemas"]["CellOutput"][];
            /** Old Outputs */
            old_outputs?: components["schemas"]["CellOutput"][];
            /** @default null */
            state: components["schemas"]["StateChange"] | null;
            /** @default null */
            duration: components["schemas"]["DurationChange"] | null;
        };
        /**
         * CellOutput
         * @description One output of a changed cell, reduced to what a side-by-side view shows: text (capped) or
         *     an image (base64).
         */
        CellOutput: {
            /** Output Type */
            output_type: string;
            /**
             * Mime
             * @default null
             */
            mime: string | null;
            /**
             * Text
             * @default null
             */
            text: string | null;
            /**
             * Data
             * @description an image's base64 data
             * @default null
             */
            data: string | null;
        };
        /** ConcurrencyLimitCreate */
        ConcurrencyLimitCreate: {
            /** Tag */
            tag: string;
            /**
             * Concurrency Limit
             * @description active runs carrying the tag at once (0 holds them all)
             */
            concurrency_limit: number;
        };
        /** ConcurrencyLimitRead */
        ConcurrencyLimitRead: {
            /** Tag */
            tag: string;
            /** Concurrency Limit */
            concurrency_limit: number;
            /**
             * Active Slots
             * @description runs carrying the tag that are active now
             * @default 0
             */
            active_slots: number;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
        };
        /** ConcurrencyLimitUpdate */
        ConcurrencyLimitUpdate: {
            /** Concurrency Limit */
            concurrency_limit: number;
        };
        /**
         * DeploymentCreate
         * @description What to run (a notebook path under the server root, or ``file.py:flow``) and how.
         */
        DeploymentCreate: {
            /** Name */
            name: string;
            /**
             * Notebook
             * @description a .ipynb file relative to the server root
             * @default null
             */
            notebook: string | null;
            /**
             * Entrypoint
             * @description 'path/to/file.py:flow_function', the file relative to the server root
             * @default null
             */
            entrypoint: string | null;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /** Schedules */
            schedules?: components["schemas"]["ScheduleIn"][];
            /**
             * Work Queue
             * @default default
             */
            work_queue: string;
            /**
             * Retries
             * @default 0
             */
            retries: number;
            /**
             * Retry Delay Seconds
             * @default 0
             */
            retry_delay_seconds: number;
            /**
             * Timeout Seconds
             * @default null
             */
            timeout_seconds: number | null;
            /** Tags */
            tags?: string[];
            /**
             * Concurrency Limit
             * @default null
             */
            concurrency_limit: number | null;
            /**
             * Paused
             * @default false
             */
            paused: boolean;
            /**
             * Retention Days
             * @description days its finished runs are kept (null: the server's keep_runs_days)
             * @default null
             */
            retention_days: number | null;
            /**
             * Keep Last
             * @description its newest finished runs kept whatever their age (null: the server's keep_last_runs)
             * @default null
             */
            keep_last: number | null;
            /**
             * Work Pool Name
             * @description the work pool its runs go to (without work_queue: the pool's own queue); default: its queue's pool
             * @default null
             */
            work_pool_name: string | null;
            /**
             * Job Variables
             * @description job variables over the pool's (checked against the pool type's schema); a run's override these
             */
            job_variables?: {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Kernel Name
                 * @description the Jupyter kernel a notebook runs in
                 * @default null
                 */
                kernel_name: string | null;
                /**
                 * Warm Kernels
                 * @description spare started kernels a worker of the pool keeps (worker --pool)
                 * @default null
                 */
                warm_kernels: number | null;
            } | {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Dask Address
                 * @description the Dask scheduler's address (worker --pool starts a local cluster without it)
                 * @default null
                 */
                dask_address: string | null;
            };
            /**
             * Max Duration Seconds
             * @description SLA: a run still RUNNING this many seconds after it started is a breach (null: none)
             * @default null
             */
            max_duration_seconds: number | null;
            /**
             * Freshness Seconds
             * @description SLA: no COMPLETED run for this many seconds is a breach (null: none)
             * @default null
             */
            freshness_seconds: number | null;
        } & ({
            notebook: string;
            entrypoint?: null;
        } | {
            entrypoint: string;
            notebook?: null;
        });
        /** DeploymentRead */
        DeploymentRead: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Notebook
             * @default null
             */
            notebook: string | null;
            /**
             * Entrypoint
             * @default null
             */
            entrypoint: string | null;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /** Schedules */
            schedules?: components["schemas"]["ScheduleRead"][];
            /** Work Queue */
            work_queue: string;
            /** Retries */
            retries: number;
            /** Retry Delay Seconds */
            retry_delay_seconds: number;
            /**
             * Timeout Seconds
             * @default null
             */
            timeout_seconds: number | null;
            /** Tags */
            tags?: string[];
            /**
             * Concurrency Limit
             * @default null
             */
            concurrency_limit: number | null;
            /** Paused */
            paused: boolean;
            /**
             * Retention Days
             * @default null
             */
            retention_days: number | null;
            /**
             * Keep Last
             * @default null
             */
            keep_last: number | null;
            /**
             * Work Pool Name
             * @default null
             */
            work_pool_name: string | null;
            /** Job Variables */
            job_variables?: {
                [key: string]: unknown;
            };
            /**
             * Max Duration Seconds
             * @default null
             */
            max_duration_seconds: number | null;
            /**
             * Freshness Seconds
             * @default null
             */
            freshness_seconds: number | null;
            /** Created */
            created: string;
            /** Updated */
            updated: string;
            /**
             * Sla Breaches
             * @description its SLAs breached now: kind, since, and the run for max_duration
             */
            sla_breaches?: {
                [key: string]: unknown;
            }[];
            /**
             * Next Runs
             * @description upcoming scheduled times, ISO-8601
             */
            next_runs?: string[];
            /**
             * Last Run
             * @default null
             */
            last_run: {
                [key: string]: unknown;
            } | null;
        };
        /**
         * DeploymentUpdate
         * @description A partial update: only the fields sent change (``schedules`` replaces the whole list).
         */
        DeploymentUpdate: {
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Parameters
             * @default null
             */
            parameters: {
                [key: string]: unknown;
            } | null;
            /**
             * Schedules
             * @default null
             */
            schedules: components["schemas"]["ScheduleIn"][] | null;
            /**
             * Work Queue
             * @default null
             */
            work_queue: string | null;
            /**
             * Retries
             * @default null
             */
            retries: number | null;
            /**
             * Retry Delay Seconds
             * @default null
             */
            retry_delay_seconds: number | null;
            /**
             * Timeout Seconds
             * @default null
             */
            timeout_seconds: number | null;
            /**
             * Tags
             * @default null
             */
            tags: string[] | null;
            /**
             * Concurrency Limit
             * @default null
             */
            concurrency_limit: number | null;
            /**
             * Paused
             * @default null
             */
            paused: boolean | null;
            /**
             * Retention Days
             * @description days its finished runs are kept (null: the server's keep_runs_days)
             * @default null
             */
            retention_days: number | null;
            /**
             * Keep Last
             * @description its newest finished runs kept whatever their age (null: the server's keep_last_runs)
             * @default null
             */
            keep_last: number | null;
            /**
             * Work Pool Name
             * @description the work pool its runs go to (without work_queue: the pool's own queue); default: its queue's pool
             * @default null
             */
            work_pool_name: string | null;
            /**
             * Job Variables
             * @description job variables over the pool's (checked against the pool type's schema); a run's override these
             * @default null
             */
            job_variables: {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Kernel Name
                 * @description the Jupyter kernel a notebook runs in
                 * @default null
                 */
                kernel_name: string | null;
                /**
                 * Warm Kernels
                 * @description spare started kernels a worker of the pool keeps (worker --pool)
                 * @default null
                 */
                warm_kernels: number | null;
            } | {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Dask Address
                 * @description the Dask scheduler's address (worker --pool starts a local cluster without it)
                 * @default null
                 */
                dask_address: string | null;
            } | null;
            /**
             * Max Duration Seconds
             * @description SLA: a run still RUNNING this many seconds after it started is a breach (null: none)
             * @default null
             */
            max_duration_seconds: number | null;
            /**
             * Freshness Seconds
             * @description SLA: no COMPLETED run for this many seconds is a breach (null: none)
             * @default null
             */
            freshness_seconds: number | null;
        };
        /**
         * DurationChange
         * @description Seconds, in the run compared with (old) and in this run (new).
         */
        DurationChange: {
            /**
             * Old
             * @default null
             */
            old: number | null;
            /**
             * New
             * @default null
             */
            new: number | null;
        };
        /** EmittedEventRead */
        EmittedEventRead: {
            /**
             * Id
             * @description the event's own id (a UUID)
             */
            id: string;
            /** Event */
            event: string;
            /** Resource */
            resource: {
                [key: string]: string;
            };
            /** Related */
            related?: {
                [key: string]: string;
            }[];
            /** Payload */
            payload?: {
                [key: string]: unknown;
            };
            /**
             * Occurred
             * @default null
             */
            occurred: string | null;
        };
        /**
         * EngineFlowFields
         * @description What a flow run's state op sets with the state.
         */
        EngineFlowFields: {
            /** Run Count */
            run_count?: number;
            /**
             * Start Time
             * @default null
             */
            start_time: number | null;
            /**
             * End Time
             * @default null
             */
            end_time: number | null;
        };
        /**
         * EngineTaskFields
         * @description What a task run's state op sets with the state (a task's result and cache keys too).
         */
        EngineTaskFields: {
            /** Run Count */
            run_count?: number;
            /**
             * Start Time
             * @default null
             */
            start_time: number | null;
            /**
             * End Time
             * @default null
             */
            end_time: number | null;
            /**
             * Result Key
             * @default null
             */
            result_key: string | null;
            /**
             * Cache Key
             * @default null
             */
            cache_key: string | null;
        };
        /**
         * ErrorBody
         * @description Every 4xx answer: what was wrong, and details a client can show next to a field.
         */
        ErrorBody: {
            /** Error */
            error: string;
            /**
             * Detail
             * @default null
             */
            detail: unknown;
        };
        /**
         * EventCreate
         * @description An event as ``emit_event`` sends it.
         */
        EventCreate: {
            /** Event */
            event: string;
            /** Resource */
            resource: {
                "prefect.resource.id": string;
            } & {
                [key: string]: string;
            };
            /** Related */
            related?: ({
                "prefect.resource.id": string;
                "prefect.resource.role": string;
            } & {
                [key: string]: string;
            })[];
            /** Payload */
            payload?: {
                [key: string]: unknown;
            };
            /**
             * Occurred
             * @default null
             */
            occurred: number | null;
            /**
             * Id
             * @default null
             */
            id: string | null;
        };
        /**
         * EventPage
         * @description Events after a cursor; pass ``cursor`` back as ``after`` to get the next page.
         */
        EventPage: {
            /** Items */
            items: components["schemas"]["EventRead"][];
            /**
             * Cursor
             * @default null
             */
            cursor: number | null;
        };
        /** EventRead */
        EventRead: {
            /** Id */
            id: number;
            /** Occurred */
            occurred: string;
            /** Kind */
            kind: string;
            /**
             * Resource Id
             * @default null
             */
            resource_id: string | null;
            /** Payload */
            payload?: {
                [key: string]: unknown;
            };
        };
        /** FlowRead */
        FlowRead: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Run Count
             * @description flow runs recorded for this flow, counted up to 10,000 (so that a flow list never counts every run): past that, run_count_exact is false
             * @default 0
             */
            run_count: number;
            /**
             * Run Count Exact
             * @description false when the flow has more than run_count runs
             * @default true
             */
            run_count_exact: boolean;
            /**
             * Last Run
             * @description id, name, state and start of the newest run
             * @default null
             */
            last_run: {
                [key: string]: unknown;
            } | null;
        };
        /**
         * FlowRunCreate
         * @description Run a deployment now; ``parameters`` override the deployment's defaults.
         */
        FlowRunCreate: {
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Job Variables
             * @description over the deployment's and pool's
             */
            job_variables?: {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Kernel Name
                 * @description the Jupyter kernel a notebook runs in
                 * @default null
                 */
                kernel_name: string | null;
                /**
                 * Warm Kernels
                 * @description spare started kernels a worker of the pool keeps (worker --pool)
                 * @default null
                 */
                warm_kernels: number | null;
            } | {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Dask Address
                 * @description the Dask scheduler's address (worker --pool starts a local cluster without it)
                 * @default null
                 */
                dask_address: string | null;
            };
        };
        /**
         * FlowRunFields
         * @description Flow-run columns a worker's state move may set with the state (``store.transitions.FIELDS``);
         *     times are epoch seconds. Only the fields sent are set (``null`` clears a column).
         */
        FlowRunFields: {
            /** Run Count */
            run_count?: number;
            /**
             * Start Time
             * @default null
             */
            start_time: number | null;
            /**
             * End Time
             * @default null
             */
            end_time: number | null;
            /**
             * Result Key
             * @default null
             */
            result_key: string | null;
            /**
             * Worker Name
             * @default null
             */
            worker_name: string | null;
            /**
             * Worker Type
             * @default null
             */
            worker_type: string | null;
            /**
             * Heartbeat At
             * @default null
             */
            heartbeat_at: number | null;
            /**
             * Output Notebook
             * @description only null: the server sets it
             * @default null
             */
            output_notebook: null;
            /**
             * Resume From
             * @description only null: the server sets it
             * @default null
             */
            resume_from: null;
        };
        /**
         * FlowRunPage
         * @description A page of flow runs; pass ``next_cursor`` back as ``cursor`` for the next one (a deep page
         *     costs what the first does, where an offset walks every run before it).
         */
        FlowRunPage: {
            /** Items */
            items: components["schemas"]["FlowRunRead"][];
            /**
             * Total
             * @description how many runs match the filters, counted up to 10,000 so that no page costs a count of every run: past that, 10,000 and total_exact is false
             */
            total: number;
            /**
             * Total Exact
             * @description false when more than total runs match
             * @default true
             */
            total_exact: boolean;
            /**
             * Next Cursor
             * @description where the next page starts; null on the last page
             * @default null
             */
            next_cursor: string | null;
        };
        /** FlowRunRead */
        FlowRunRead: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Flow Name
             * @default null
             */
            flow_name: string | null;
            /**
             * Deployment Id
             * @default null
             */
            deployment_id: string | null;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /** @default null */
            state: components["schemas"]["StateRead"] | null;
            /**
             * Start Time
             * @default null
             */
            start_time: string | null;
            /**
             * End Time
             * @default null
             */
            end_time: string | null;
            /**
             * Scheduled Start Time
             * @default null
             */
            scheduled_start_time: string | null;
            /**
             * Run Count
             * @default 0
             */
            run_count: number;
            /** Recorded */
            recorded?: {
                [key: string]: unknown;
            };
            worker?: components["schemas"]["WorkerRef"];
            /**
             * Work Queue
             * @default null
             */
            work_queue: string | null;
            /**
             * Parent Task Run Id
             * @default null
             */
            parent_task_run_id: string | null;
            /** Tags */
            tags?: string[];
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Notebook
             * @description a deployment run's notebook, relative to the root
             * @default null
             */
            notebook: string | null;
            /**
             * Entrypoint
             * @default null
             */
            entrypoint: string | null;
            /**
             * Output Notebook
             * @description where the executed notebook was saved
             * @default null
             */
            output_notebook: string | null;
            /**
             * Timeout Seconds
             * @default null
             */
            timeout_seconds: number | null;
            /**
             * Max Retries
             * @default null
             */
            max_retries: number | null;
            /**
             * Job Variables
             * @description the run's own job variables
             * @default null
             */
            job_variables: {
                [key: string]: unknown;
            } | null;
            /**
             * Resume Cell
             * @description a FAILED notebook run whose kernel state was saved when its cell failed: that cell's number, where POST .../retry with from_failed_cell resumes
             * @default null
             */
            resume_cell: number | null;
        };
        /**
         * FlowRunRow
         * @description A flow run the engine starts (a flow called in a remote kernel, a subflow).
         */
        FlowRunRow: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /** Flow Name */
            flow_name: string;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            /** Tags */
            tags?: string[];
            /**
             * Parent Task Run Id
             * @default null
             */
            parent_task_run_id: string | null;
            /**
             * Deployment Id
             * @description always null: deployment runs are the server's
             * @default null
             */
            deployment_id: null;
            /** Created */
            created: number;
        };
        /**
         * FlowRunStateSet
         * @description Propose a state; with ``force`` the rule book is not asked.
         */
        FlowRunStateSet: {
            state: components["schemas"]["StateIn"];
            /**
             * Force
             * @default false
             */
            force: boolean;
        };
        /**
         * FlowRunUpdate
         * @description Change a run's name, tags or parameters (tags and parameters are replaced, not merged).
         */
        FlowRunUpdate: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Tags
             * @default null
             */
            tags: string[] | null;
            /**
             * Parameters
             * @default null
             */
            parameters: {
                [key: string]: unknown;
            } | null;
        };
        /** FlowSource */
        FlowSource: {
            /**
             * Path
             * @description as asked
             */
            path: string;
            /**
             * Source
             * @description the file's text (UTF-8)
             */
            source: string;
        };
        /** GlobalLimitCreate */
        GlobalLimitCreate: {
            /** Name */
            name: string;
            /**
             * Limit
             * @description slots that may be occupied at once
             */
            limit: number;
            /**
             * Active
             * @description an inactive limit grants every request without counting
             * @default true
             */
            active: boolean;
            /**
             * Active Slots
             * @default 0
             */
            active_slots: number;
            /**
             * Denied Slots
             * @default 0
             */
            denied_slots: number;
            /**
             * Slot Decay Per Second
             * @description slots drained per second: a rate limit
             * @default 0
             */
            slot_decay_per_second: number;
        };
        /** GlobalLimitRead */
        GlobalLimitRead: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /** Limit */
            limit: number;
            /** Active */
            active: boolean;
            /**
             * Active Slots
             * @description slots occupied now (after decay)
             */
            active_slots: number;
            /**
             * Denied Slots
             * @description slots refused since the limit last granted any
             */
            denied_slots: number;
            /** Slot Decay Per Second */
            slot_decay_per_second: number;
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
        };
        /** GlobalLimitUpdate */
        GlobalLimitUpdate: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Limit
             * @default null
             */
            limit: number | null;
            /**
             * Active
             * @default null
             */
            active: boolean | null;
            /**
             * Active Slots
             * @default null
             */
            active_slots: number | null;
            /**
             * Denied Slots
             * @default null
             */
            denied_slots: number | null;
            /**
             * Slot Decay Per Second
             * @default null
             */
            slot_decay_per_second: number | null;
        };
        /** HealthRead */
        HealthRead: {
            /**
             * Status
             * @default ok
             */
            status: string;
            /** Version */
            version: string;
            /**
             * Services
             * @description background services running here
             */
            services?: {
                [key: string]: boolean;
            };
        };
        /**
         * InputSchemaRead
         * @description What a paused run asks for: the form to show.
         */
        InputSchemaRead: {
            /** Flow Run Id */
            flow_run_id: string;
            /** Key */
            key: string;
            /** Run Input Schema */
            run_input_schema: {
                [key: string]: unknown;
            };
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Pause Expiration Time
             * @default null
             */
            pause_expiration_time: number | null;
        };
        /** LeaseGrant */
        LeaseGrant: {
            /** Granted */
            granted: boolean;
            /**
             * Lease Id
             * @description null when nothing is held (no lease, or no active limit)
             * @default null
             */
            lease_id: string | null;
            /**
             * Limits
             * @description the existing limits named: id, name, limit
             */
            limits?: {
                [key: string]: unknown;
            }[];
            /**
             * Retry After
             * @description seconds to wait before asking again (not granted)
             * @default null
             */
            retry_after: number | null;
        };
        /** LeaseRenew */
        LeaseRenew: {
            /**
             * Lease Duration
             * @default 300
             */
            lease_duration: number;
        };
        /** LeaseRequest */
        LeaseRequest: {
            /** Names */
            names: string[];
            /**
             * Slots
             * @default 1
             */
            slots: number;
            /**
             * Mode
             * @default concurrency
             * @enum {string}
             */
            mode: "concurrency" | "rate_limit";
            /**
             * Lease Duration
             * @description seconds the slots are held unless renewed (null: no lease, as rate_limit)
             * @default 300
             */
            lease_duration: number | null;
            /**
             * Holder
             * @description who holds the slots, e.g. a run's type and id
             * @default null
             */
            holder: {
                [key: string]: unknown;
            } | null;
        };
        /** LogRead */
        LogRead: {
            /** Id */
            id: number;
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /**
             * Task Run Id
             * @default null
             */
            task_run_id: string | null;
            /** Level */
            level: number;
            /**
             * Logger Name
             * @default null
             */
            logger_name: string | null;
            /** Message */
            message: string;
            /**
             * Timestamp
             * @default null
             */
            timestamp: string | null;
        };
        /**
         * LogRow
         * @description A log line (the store caps its length: ``max_cell_output_bytes``).
         */
        LogRow: {
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /**
             * Task Run Id
             * @default null
             */
            task_run_id: string | null;
            /** Level */
            level: number;
            /** Logger Name */
            logger_name: string;
            /** Message */
            message: string;
            /** Timestamp */
            timestamp: number;
        };
        /**
         * MaterializationReport
         * @description What a materializing task run reports when it ends (sent by remote workers).
         */
        MaterializationReport: {
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /**
             * Task Run Id
             * @default null
             */
            task_run_id: string | null;
            /**
             * Status
             * @enum {string}
             */
            status: "succeeded" | "failed";
            /**
             * Materialized By
             * @default null
             */
            materialized_by: string | null;
            /** Assets */
            assets: components["schemas"]["AssetRef"][];
            /** Upstream */
            upstream?: components["schemas"]["AssetRef"][];
            /**
             * Metadata
             * @description asset key -> its metadata
             */
            metadata?: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
            /**
             * Occurred
             * @default null
             */
            occurred: number | null;
        };
        /** MemberState */
        MemberState: {
            /**
             * Type
             * @default null
             */
            type: string | null;
            /**
             * Name
             * @default null
             */
            name: string | null;
        };
        /** NextRunsRead */
        NextRunsRead: {
            /**
             * Next Runs
             * @description upcoming fire times, ISO-8601, soonest first
             */
            next_runs: string[];
        };
        /** NotebookParameter */
        NotebookParameter: {
            /** Name */
            name: string;
            /**
             * Type
             * @default null
             */
            type: string | null;
            /**
             * Default
             * @default null
             */
            default: unknown;
            /**
             * Help
             * @default null
             */
            help: string | null;
        };
        /** NotebookParameters */
        NotebookParameters: {
            /** Parameters */
            parameters: components["schemas"]["NotebookParameter"][];
        };
        /**
         * NotebookUpload
         * @description An nbformat 4 notebook (JSON).
         */
        NotebookUpload: {
            /** Nbformat */
            nbformat: number;
            /**
             * Nbformat Minor
             * @default 0
             */
            nbformat_minor: number;
            /** Cells */
            cells: {
                [key: string]: unknown;
            }[];
            /** Metadata */
            metadata?: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        /**
         * OpState
         * @description A state in a batch's state op: the engine always names it.
         */
        OpState: {
            type: components["schemas"]["StateType"];
            /** Name */
            name: string;
            /**
             * Message
             * @default null
             */
            message: string | null;
            /**
             * Timestamp
             * @description epoch seconds; default: now
             * @default null
             */
            timestamp: number | null;
            /** Details */
            details?: {
                [key: string]: unknown;
            };
        };
        /**
         * OpsBatch
         * @description The engine's store operations, in order (see ``core.wire``).
         *
         *     The document states each op's shape (the types below); the action checks them, op by op,
         *     with the same models, and names the op that is wrong (so the raw lists pass through here).
         */
        OpsBatch: {
            /** Ops */
            ops: ([
                "state",
                "flow",
                string,
                components["schemas"]["OpState"],
                components["schemas"]["EngineFlowFields"]
            ] | [
                "state",
                "task",
                string,
                components["schemas"]["OpState"],
                components["schemas"]["EngineTaskFields"]
            ] | [
                "flow",
                string
            ] | [
                "flow_run",
                components["schemas"]["FlowRunRow"]
            ] | [
                "task_run",
                components["schemas"]["TaskRunRow"]
            ] | [
                "log",
                components["schemas"]["LogRow"]
            ] | [
                "record",
                components["schemas"]["RecordRow"]
            ])[];
            /**
             * Batch Id
             * @description the same on a retry: a batch already written is not written again
             * @default null
             */
            batch_id: string | null;
        };
        /** OpsWritten */
        OpsWritten: {
            /** Written */
            written: number;
            /**
             * Refused
             * @description ops skipped, and why (e.g. illegal transitions)
             */
            refused?: string[];
        };
        /** Page[FlowRead] */
        Page_FlowRead_: {
            /** Items */
            items: components["schemas"]["FlowRead"][];
            /** Total */
            total: number;
        };
        /**
         * PauseRequest
         * @description Pause a RUNNING flow run (its own code asks): it waits at most ``timeout_seconds``.
         */
        PauseRequest: {
            /** Key */
            key: string;
            /**
             * Timeout Seconds
             * @default 3600
             */
            timeout_seconds: number;
            /**
             * Run Input Schema
             * @description the JSON schema the input must match; null: a plain pause, resumed without input
             * @default null
             */
            run_input_schema: {
                [key: string]: unknown;
            } | null;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Reschedule
             * @description suspend: the run's process ends, and a resume puts it back in its queue to run again from the top
             * @default false
             */
            reschedule: boolean;
        };
        /**
         * RecordRow
         * @description An output recorded with ``record()``: its JSON value (or null) and its repr.
         */
        RecordRow: {
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /**
             * Task Run Id
             * @default null
             */
            task_run_id: string | null;
            /** Name */
            name: string;
            /**
             * Value
             * @default null
             */
            value: unknown;
            /** Repr */
            repr: string;
            /** Timestamp */
            timestamp: number;
        };
        /** RecordedRead */
        RecordedRead: {
            /** Id */
            id: number;
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /**
             * Task Run Id
             * @default null
             */
            task_run_id: string | null;
            /** Name */
            name: string;
            /**
             * Value
             * @default null
             */
            value: unknown;
            /** Repr */
            repr: string;
            /**
             * Timestamp
             * @default null
             */
            timestamp: string | null;
        };
        /**
         * ResumeRequest
         * @description Resume a PAUSED run; ``run_input`` must match the schema it waits with.
         */
        ResumeRequest: {
            /**
             * Run Input
             * @default null
             */
            run_input: {
                [key: string]: unknown;
            } | null;
        };
        /** RetryRequest */
        RetryRequest: {
            /**
             * From Failed Cell
             * @description resume at the failing cell with the kernel state saved when it failed, instead of running the notebook from the top (only when the run has a resume_cell)
             * @default false
             */
            from_failed_cell: boolean;
        };
        /**
         * RunClaim
         * @description Take the oldest due run of these queues (concurrency limits honoured).
         */
        RunClaim: {
            /**
             * Name
             * @description the claiming worker
             */
            name: string;
            /**
             * Type
             * @default process
             * @enum {string}
             */
            type: "process" | "dask" | "local";
            /** Queues */
            queues?: string[];
        };
        /** RunClaimed */
        RunClaimed: {
            /**
             * Run
             * @description the claimed run (PENDING), or null
             * @default null
             */
            run: {
                [key: string]: unknown;
            } | null;
        };
        /**
         * RunDiffRead
         * @description What changed from run ``against_id`` (old) to run ``flow_run_id`` (new).
         */
        RunDiffRead: {
            /** Flow Run Id */
            flow_run_id: string;
            /** Flow Run Name */
            flow_run_name: string;
            /** Against Id */
            against_id: string;
            /** Against Name */
            against_name: string;
            /** Parameters */
            parameters?: components["schemas"]["ValueChange"][];
            /** Recorded */
            recorded?: components["schemas"]["ValueChange"][];
            /** @default null */
            state: components["schemas"]["StateChange"] | null;
            /** @default null */
            duration: components["schemas"]["DurationChange"] | null;
            /** Cells */
            cells?: components["schemas"]["CellChange"][];
            /**
             * Notebooks Compared
             * @description both runs had an executed notebook, and its cells were compared
             * @default false
             */
            notebooks_compared: boolean;
        };
        /**
         * RunInputCreate
         * @description One input for a flow run; 409 when the run has one under ``key`` already.
         */
        RunInputCreate: {
            /** Key */
            key: string;
            /**
             * Value
             * @description any JSON value, at most 524288 characters as JSON
             */
            value: unknown;
            /**
             * Sender
             * @description who sent it: prefect.flow-run.<id> for a flow run
             * @default null
             */
            sender: string | null;
        };
        /**
         * RunInputFilter
         * @description The run's inputs whose key starts with ``prefix``, oldest first, leaving out ``exclude_keys``.
         */
        RunInputFilter: {
            /** Prefix */
            prefix: string;
            /**
             * Limit
             * @default 1
             */
            limit: number;
            /** Exclude Keys */
            exclude_keys?: string[];
        };
        /**
         * RunInputRead
         * @description The input a run was resumed with for one pause: ``received`` false until that pause is
         *     answered in the run's current attempt (a retry asks again); ``value`` null for a plain pause.
         */
        RunInputRead: {
            /** Key */
            key: string;
            /** Received */
            received: boolean;
            /**
             * Value
             * @default null
             */
            value: unknown;
        };
        /**
         * RunInputValueRead
         * @description A stored input: its key, JSON value, sender and when it came.
         */
        RunInputValueRead: {
            /** Flow Run Id */
            flow_run_id: string;
            /** Key */
            key: string;
            /**
             * Value
             * @default null
             */
            value: unknown;
            /**
             * Sender
             * @default null
             */
            sender: string | null;
            /**
             * Created
             * @default null
             */
            created: string | null;
        };
        /**
         * ScheduleIn
         * @description A cron schedule (``cron`` + ``timezone``) or an interval (``interval`` seconds + ``anchor``).
         */
        ScheduleIn: {
            /**
             * Cron
             * @default null
             */
            cron: string | null;
            /**
             * Interval
             * @description seconds between runs
             * @default null
             */
            interval: number | null;
            /**
             * Anchor
             * @default null
             */
            anchor: string | null;
            /**
             * Timezone
             * @description an IANA time zone name, e.g. Europe/Paris
             * @default UTC
             */
            timezone: string;
            /**
             * Active
             * @default true
             */
            active: boolean;
            /**
             * Parameters
             * @description overrides for runs of this schedule
             */
            parameters?: {
                [key: string]: unknown;
            };
        } & ({
            cron: string;
            interval?: null;
        } | {
            interval: number;
            cron?: null;
        });
        /**
         * SchedulePreview
         * @description A schedule not yet saved (the sidebar's form) and how many fire times to show.
         */
        SchedulePreview: {
            /**
             * Cron
             * @default null
             */
            cron: string | null;
            /**
             * Interval
             * @description seconds between runs
             * @default null
             */
            interval: number | null;
            /**
             * Anchor
             * @default null
             */
            anchor: string | null;
            /**
             * Timezone
             * @description an IANA time zone name, e.g. Europe/Paris
             * @default UTC
             */
            timezone: string;
            /**
             * Active
             * @default true
             */
            active: boolean;
            /**
             * Parameters
             * @description overrides for runs of this schedule
             */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * N
             * @default 5
             */
            n: number;
        } & ({
            cron: string;
            interval?: null;
        } | {
            interval: number;
            cron?: null;
        });
        /** ScheduleRead */
        ScheduleRead: {
            /** Id */
            id: string;
            /**
             * Cron
             * @default null
             */
            cron: string | null;
            /**
             * Interval
             * @default null
             */
            interval: number | null;
            /**
             * Anchor
             * @default null
             */
            anchor: string | null;
            /** Timezone */
            timezone: string;
            /** Active */
            active: boolean;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
        };
        /**
         * SetStateResult
         * @description What became of a proposed state: ``ACCEPT`` (it is the run's state now) or ``REJECT``
         *     (the run keeps ``state``, ``details.reason`` says why).
         */
        SetStateResult: {
            /**
             * Status
             * @enum {string}
             */
            status: "ACCEPT" | "REJECT";
            /** @default null */
            state: components["schemas"]["StateRead"] | null;
            /** Details */
            details?: {
                [key: string]: unknown;
            };
        };
        /** StateChange */
        StateChange: {
            /**
             * Old
             * @default null
             */
            old: string | null;
            /**
             * New
             * @default null
             */
            new: string | null;
        };
        /** StateIn */
        StateIn: {
            type: components["schemas"]["StateType"];
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Message
             * @default null
             */
            message: string | null;
            /**
             * Timestamp
             * @description epoch seconds; default: now
             * @default null
             */
            timestamp: number | null;
            /** Details */
            details?: {
                [key: string]: unknown;
            };
        };
        /** StateRead */
        StateRead: {
            type: components["schemas"]["StateType"];
            /** Name */
            name: string;
            /**
             * Message
             * @default null
             */
            message: string | null;
            /**
             * Timestamp
             * @default null
             */
            timestamp: string | null;
        };
        /**
         * StateType
         * @description The kind of a state; a state's *name* refines it (``Late`` is a SCHEDULED state).
         * @enum {string}
         */
        StateType: "SCHEDULED" | "PENDING" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLING" | "CANCELLED" | "CRASHED" | "PAUSED";
        /**
         * StateWrite
         * @description Move a flow run to ``state`` (the rule book decides: 409 when the move is illegal).
         */
        StateWrite: {
            state: components["schemas"]["StateIn"];
            /** @description run columns set with the state (start_time, run_count, ...) */
            fields?: components["schemas"]["FlowRunFields"];
        };
        /**
         * SweepCreate
         * @description Run a deployment once per parameter set, at most ``max_parallel`` at once.
         */
        SweepCreate: {
            /**
             * Grid
             * @description name -> list of values; one member per combination
             * @default null
             */
            grid: {
                [key: string]: unknown[];
            } | {
                [key: string]: unknown;
            } | null;
            /**
             * Parameter Sets
             * @default null
             */
            parameter_sets: {
                [key: string]: unknown;
            }[] | null;
            /**
             * Parameters
             * @description fixed values every member gets
             */
            parameters?: {
                [key: string]: unknown;
            };
            /**
             * Max Parallel
             * @default 4
             */
            max_parallel: number;
        } & ({
            grid: Record<string, never>;
            parameter_sets?: null;
        } | {
            parameter_sets: unknown[];
            grid?: null;
        });
        /** SweepMember */
        SweepMember: {
            /** Index */
            index: number;
            /** Flow Run Id */
            flow_run_id: string;
            /** Parameters */
            parameters?: {
                [key: string]: unknown;
            };
            state?: components["schemas"]["MemberState"];
            /**
             * Start Time
             * @default null
             */
            start_time: string | null;
            /**
             * End Time
             * @default null
             */
            end_time: string | null;
            /**
             * Duration
             * @description seconds, once the member finished
             * @default null
             */
            duration: number | null;
            /**
             * Outputs
             * @description its recorded outputs (last value per name)
             */
            outputs?: {
                [key: string]: unknown;
            };
        };
        /** SweepPage */
        SweepPage: {
            /** Items */
            items: components["schemas"]["SweepSummary"][];
            /** Total */
            total: number;
        };
        /** SweepRead */
        SweepRead: {
            /** Id */
            id: string;
            /** Deployment Id */
            deployment_id: string;
            /** Deployment Name */
            deployment_name: string;
            /** Created */
            created: string;
            /** Max Parallel */
            max_parallel: number;
            /**
             * State
             * @description COMPLETED: all members completed; FAILED: all final, some not completed; else RUNNING
             * @enum {string}
             */
            state: "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";
            /**
             * Counts
             * @description members per state type
             */
            counts?: {
                [key: string]: number;
            };
            /** Parameter Names */
            parameter_names?: string[];
            /** Output Names */
            output_names?: string[];
            /** Members */
            members?: components["schemas"]["SweepMember"][];
        };
        /** SweepSummary */
        SweepSummary: {
            /** Id */
            id: string;
            /** Deployment Id */
            deployment_id: string;
            /** Deployment Name */
            deployment_name: string;
            /** Created */
            created: string;
            /** Max Parallel */
            max_parallel: number;
            /**
             * State
             * @description COMPLETED: all members completed; FAILED: all final, some not completed; else RUNNING
             * @enum {string}
             */
            state: "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";
            /**
             * Counts
             * @description members per state type
             */
            counts?: {
                [key: string]: number;
            };
            /** Parameter Names */
            parameter_names?: string[];
        };
        /**
         * SweepTable
         * @description One row per member: index, parameters, state, duration, recorded outputs.
         */
        SweepTable: {
            /** Columns */
            columns: string[];
            /** Rows */
            rows: unknown[][];
        };
        /** TaskRunRead */
        TaskRunRead: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /**
             * Task Key
             * @default null
             */
            task_key: string | null;
            /** @default null */
            state: components["schemas"]["StateRead"] | null;
            /**
             * Start Time
             * @default null
             */
            start_time: string | null;
            /**
             * End Time
             * @default null
             */
            end_time: string | null;
            /**
             * Run Count
             * @default 0
             */
            run_count: number;
            /**
             * Created
             * @default null
             */
            created: string | null;
        };
        /**
         * TaskRunRow
         * @description A task run (a task call, or a notebook cell).
         */
        TaskRunRow: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Flow Run Id
             * @default null
             */
            flow_run_id: string | null;
            /** Task Key */
            task_key: string;
            /** Dynamic Key */
            dynamic_key: string;
            /** Tags */
            tags?: string[];
            /**
             * Cache Key
             * @default null
             */
            cache_key: string | null;
            /** Created */
            created: number;
        };
        /**
         * TaskStateWrite
         * @description Move a task run to ``state``.
         */
        TaskStateWrite: {
            state: components["schemas"]["StateIn"];
            /** @description task-run columns set with the state */
            fields?: components["schemas"]["EngineTaskFields"];
        };
        /**
         * ValueChange
         * @description A parameter or recorded output that differs: ``change`` says whether it is new, gone or changed.
         */
        ValueChange: {
            /** Name */
            name: string;
            /**
             * Change
             * @enum {string}
             */
            change: "added" | "removed" | "changed";
            /**
             * Old
             * @default null
             */
            old: unknown;
            /**
             * New
             * @default null
             */
            new: unknown;
        };
        /** VariableCreate */
        VariableCreate: {
            /** Name */
            name: string;
            /**
             * Value
             * @description any JSON value, under 5000 characters as JSON
             */
            value: unknown;
            /** Tags */
            tags?: string[];
        };
        /** VariableRead */
        VariableRead: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /**
             * Value
             * @default null
             */
            value: unknown;
            /** Tags */
            tags?: string[];
            /**
             * Created
             * @default null
             */
            created: string | null;
            /**
             * Updated
             * @default null
             */
            updated: string | null;
        };
        /**
         * VariableUpdate
         * @description Only the fields sent change (``"value": null`` sets the value to null).
         */
        VariableUpdate: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Value
             * @default null
             */
            value: unknown;
            /**
             * Tags
             * @default null
             */
            tags: string[] | null;
        };
        /** WorkPoolCreate */
        WorkPoolCreate: {
            /** Name */
            name: string;
            /**
             * Type
             * @default process
             * @enum {string}
             */
            type: "process" | "dask";
            /**
             * Base Job Variables
             * @description job variables every run of the pool starts from (checked against the type's schema)
             */
            base_job_variables?: {
                [key: string]: unknown;
            };
            /**
             * Paused
             * @default false
             */
            paused: boolean;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Concurrency Limit
             * @description how many of the pool's runs may be active (pending, running, cancelling) at once; null: no limit
             * @default null
             */
            concurrency_limit: number | null;
        } & ({
            /** @constant */
            type?: "process";
            base_job_variables?: {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Kernel Name
                 * @description the Jupyter kernel a notebook runs in
                 * @default null
                 */
                kernel_name: string | null;
                /**
                 * Warm Kernels
                 * @description spare started kernels a worker of the pool keeps (worker --pool)
                 * @default null
                 */
                warm_kernels: number | null;
            };
        } | {
            /** @constant */
            type: "dask";
            base_job_variables?: {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Dask Address
                 * @description the Dask scheduler's address (worker --pool starts a local cluster without it)
                 * @default null
                 */
                dask_address: string | null;
            };
        });
        /** WorkPoolRead */
        WorkPoolRead: {
            /** Name */
            name: string;
            /** Type */
            type: string;
            /** Base Job Variables */
            base_job_variables?: {
                [key: string]: unknown;
            };
            /** Job Variables Schema */
            job_variables_schema?: {
                [key: string]: unknown;
            };
            /**
             * Paused
             * @default false
             */
            paused: boolean;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Concurrency Limit
             * @default null
             */
            concurrency_limit: number | null;
            /**
             * Queues
             * @description the pool's work queues
             */
            queues?: string[];
            /**
             * Created
             * @default null
             */
            created: string | null;
        };
        /**
         * WorkPoolUpdate
         * @description Only the fields sent change; ``base_job_variables`` replaces the whole set.
         */
        WorkPoolUpdate: {
            /**
             * Base Job Variables
             * @description job variables every run of the pool starts from (checked against the type's schema)
             * @default null
             */
            base_job_variables: {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Kernel Name
                 * @description the Jupyter kernel a notebook runs in
                 * @default null
                 */
                kernel_name: string | null;
                /**
                 * Warm Kernels
                 * @description spare started kernels a worker of the pool keeps (worker --pool)
                 * @default null
                 */
                warm_kernels: number | null;
            } | {
                /**
                 * Env
                 * @default null
                 */
                env: {
                    [key: string]: string;
                } | null;
                /**
                 * Working Dir
                 * @description the folder the notebook or flow runs in
                 * @default null
                 */
                working_dir: string | null;
                /**
                 * Dask Address
                 * @description the Dask scheduler's address (worker --pool starts a local cluster without it)
                 * @default null
                 */
                dask_address: string | null;
            } | null;
            /**
             * Paused
             * @default null
             */
            paused: boolean | null;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Concurrency Limit
             * @description how many of the pool's runs may be active (pending, running, cancelling) at once; null: no limit (sending null removes it)
             * @default null
             */
            concurrency_limit: number | null;
        };
        /** WorkQueueCreate */
        WorkQueueCreate: {
            /** Name */
            name: string;
            /**
             * Concurrency Limit
             * @default null
             */
            concurrency_limit: number | null;
            /**
             * Paused
             * @default false
             */
            paused: boolean;
            /**
             * Description
             * @default null
             */
            description: string | null;
        };
        /** WorkQueueRead */
        WorkQueueRead: {
            /** Name */
            name: string;
            /**
             * Concurrency Limit
             * @default null
             */
            concurrency_limit: number | null;
            /**
             * Paused
             * @default false
             */
            paused: boolean;
            /**
             * Description
             * @default null
             */
            description: string | null;
            /**
             * Work Pool Name
             * @description the work pool the queue belongs to
             * @default default
             */
            work_pool_name: string;
        };
        /** WorkQueueUpdate */
        WorkQueueUpdate: {
            /**
             * Concurrency Limit
             * @default null
             */
            concurrency_limit: number | null;
            /**
             * Paused
             * @default null
             */
            paused: boolean | null;
            /**
             * Description
             * @default null
             */
            description: string | null;
        };
        /**
         * WorkerBeat
         * @description A worker is alive, and so are the runs it executes (``runs``).
         */
        WorkerBeat: {
            /** Name */
            name: string;
            /**
             * Type
             * @default process
             * @enum {string}
             */
            type: "process" | "dask" | "local";
            /** Queues */
            queues?: string[];
            /**
             * Runs
             * @description ids of the runs this worker is executing
             */
            runs?: string[];
        };
        /** WorkerBeatRead */
        WorkerBeatRead: {
            /** Name */
            name: string;
            /** Type */
            type: string;
            /** Queues */
            queues?: string[];
            /**
             * Last Seen
             * @default null
             */
            last_seen: string | null;
            /**
             * Stop
             * @description runs the worker must stop: cancelled, or taken over by another worker
             */
            stop?: string[];
        };
        /** WorkerRead */
        WorkerRead: {
            /** Name */
            name: string;
            /** Type */
            type: string;
            /** Queues */
            queues?: string[];
            /**
             * Last Seen
             * @default null
             */
            last_seen: string | null;
        };
        /** WorkerRef */
        WorkerRef: {
            /**
             * Name
             * @default null
             */
            name: string | null;
            /**
             * Type
             * @default null
             */
            type: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    get_health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_openapi_json: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_notebooks_parameters: {
        parameters: {
            query: {
                /** @description notebook path relative to the server root */
                path: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotebookParameters"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_deployments: {
        parameters: {
            query?: {
                limit?: number;
                /** @description deployments to skip (after the cursor, if one is given) */
                offset?: number;
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_deployments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeploymentCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_deployments_deployment_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deployment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_deployments_deployment_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deployment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_deployments_deployment_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deployment_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["DeploymentUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_deployments_deployment_id_pause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deployment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_deployments_deployment_id_resume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deployment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_deployments_deployment_id_runs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deployment_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["FlowRunCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_deployments_deployment_id_next_runs: {
        parameters: {
            query?: {
                n?: number;
            };
            header?: never;
            path: {
                deployment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NextRunsRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_schedules_preview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SchedulePreview"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NextRunsRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs: {
        parameters: {
            query?: {
                state?: components["schemas"]["StateType"][] | null;
                deployment_id?: string | null;
                flow_name?: string | null;
                flow_id?: string | null;
                /** @description runs that started (or are scheduled) at or after this time, ISO-8601 */
                start_after?: string | null;
                /** @description ... and before this time */
                start_before?: string | null;
                limit?: number;
                /** @description runs to skip (after the cursor, if one is given) */
                offset?: number;
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunPage"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_flow_runs_flow_run_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_flow_runs_flow_run_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["FlowRunUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_retry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RetryRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_task_runs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskRunRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_logs: {
        parameters: {
            query?: {
                /** @description only lines with a larger id */
                after?: number | null;
                limit?: number | null;
            };
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_recorded: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordedRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_notebook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    put_flow_runs_flow_run_id_notebook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotebookUpload"];
            };
        };
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_task_runs_task_run_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flows: {
        parameters: {
            query?: {
                /** @description only flows whose name contains this text */
                name?: string | null;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_FlowRead_"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flows_flow_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_concurrency_limits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConcurrencyLimitRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_concurrency_limits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConcurrencyLimitCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConcurrencyLimitRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_concurrency_limits_tag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConcurrencyLimitRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_concurrency_limits_tag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_concurrency_limits_tag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                tag: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConcurrencyLimitUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConcurrencyLimitRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_automations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_automations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AutomationCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_automations_automation_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                automation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_automations_automation_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                automation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_automations_automation_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                automation_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AutomationUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutomationRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_work_queues: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkQueueRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_work_queues: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkQueueCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkQueueRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_work_queues_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkQueueRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_work_queues_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_work_queues_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["WorkQueueUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkQueueRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_workers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkerRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_workers_heartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkerBeat"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkerBeatRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_workers_claim: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunClaim"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunClaimed"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_workers_ops: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpsBatch"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpsWritten"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_set_state: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StateWrite"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StateRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_task_runs_task_run_id_set_state: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaskStateWrite"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StateRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_finish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AttemptFinish"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_notebooks_content: {
        parameters: {
            query: {
                /** @description notebook path relative to the server root */
                path: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_entrypoints_source: {
        parameters: {
            query: {
                /** @description a flow file (.py) relative to the server root */
                path: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowSource"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_events: {
        parameters: {
            query?: {
                /** @description cursor: only events with a larger id */
                after?: number | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmittedEventRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_events_stream: {
        parameters: {
            query?: {
                /** @description cursor: only events with a larger id */
                after?: number | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching to the WebSocket protocol; then one EventRead per message */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a WebSocket handshake, or a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_artifacts: {
        parameters: {
            query?: {
                flow_run_id?: string | null;
                task_run_id?: string | null;
                key?: string | null;
                type?: string | null;
                limit?: number;
                cursor?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactPage"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_artifacts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ArtifactCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_artifacts_latest_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_artifacts_artifact_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                artifact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_artifacts_artifact_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                artifact_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ArtifactUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_variables: {
        parameters: {
            query?: {
                /** @description only variables whose name contains this text */
                name?: string | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VariableRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_variables: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VariableCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VariableRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_variables_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VariableRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_variables_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_variables_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["VariableUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VariableRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_block_types: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockTypeRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_blocks: {
        parameters: {
            query?: {
                /** @description only blocks of this block type slug */
                type?: string | null;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_blocks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BlockCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_blocks_block_type_name: {
        parameters: {
            query?: {
                /** @description the secret fields' values, decrypted */
                include_secrets?: boolean;
            };
            header?: never;
            path: {
                block_type: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_blocks_block_type_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                block_type: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_blocks_block_type_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                block_type: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BlockUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BlockRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_global_concurrency_limits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GlobalLimitRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_global_concurrency_limits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GlobalLimitCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GlobalLimitRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_global_concurrency_limits_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GlobalLimitRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_global_concurrency_limits_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_global_concurrency_limits_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["GlobalLimitUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GlobalLimitRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_global_concurrency_leases: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeaseRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeaseGrant"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_global_concurrency_leases_lease_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                lease_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_global_concurrency_leases_lease_id_renew: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                lease_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["LeaseRenew"];
            };
        };
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_state: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FlowRunStateSet"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetStateResult"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_background_task_runs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BackgroundTaskCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackgroundTaskRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_background_task_runs_claim: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BackgroundTaskClaim"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackgroundTaskClaimed"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_background_task_runs_task_run_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackgroundTaskRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_background_task_runs_task_run_id_finish: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BackgroundTaskFinish"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackgroundTaskRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_assets: {
        parameters: {
            query?: {
                /** @description only assets whose key starts with this */
                prefix?: string | null;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPage"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_assets_asset_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset_key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetDetail"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_asset_materializations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MaterializationReport"];
            };
        };
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_pause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PauseRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_input_schema: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InputSchemaRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_resume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ResumeRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FlowRunRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_input: {
        parameters: {
            query: {
                key: string;
            };
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunInputRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_input: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunInputCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunInputValueRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_work_pools: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkPoolRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_work_pools: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkPoolCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkPoolRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_work_pools_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkPoolRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_work_pools_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    patch_work_pools_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["WorkPoolUpdate"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkPoolRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_flow_runs_flow_run_id_input_filter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunInputFilter"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunInputValueRead"][];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_input_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunInputValueRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    delete_flow_runs_flow_run_id_input_key: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                flow_run_id: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done, no content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_deployments_deployment_id_sweeps: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                deployment_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SweepCreate"];
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SweepRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body is larger than the server accepts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_sweeps: {
        parameters: {
            query?: {
                deployment_id?: string | null;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SweepPage"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_sweeps_sweep_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sweep_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SweepRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_sweeps_sweep_id_table: {
        parameters: {
            query?: {
                format?: "json" | "csv";
            };
            header?: never;
            path: {
                sweep_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SweepTable"];
                    "text/csv": string;
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_sweeps_sweep_id_retry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sweep_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SweepRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    post_sweeps_sweep_id_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                sweep_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SweepRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description Conflicts with the current state (name taken, run already finished, ...) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_diff: {
        parameters: {
            query?: {
                /** @description the run to compare with; default: the same deployment's previous COMPLETED run */
                against?: string | null;
                /** @description report a duration (the run's, a cell's) only when it changed by more seconds than this, and by half */
                min_duration_change?: number;
            };
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunDiffRead"];
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    get_flow_runs_flow_run_id_report: {
        parameters: {
            query?: {
                /** @description hide the code: only the cells' outputs and the markdown */
                no_input?: boolean;
            };
            header?: never;
            path: {
                flow_run_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The request could not be read: malformed or too deeply nested JSON, a bad query value */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing XSRF token with cookie authentication, or a path outside the server root */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description No such resource (or file) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The body or a parameter does not validate; detail names the fields */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            /** @description The store is unavailable (locked or unreachable); try again */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
