"""Nightly customer lifecycle run: one DAG run per day, snapshot = the day that just ended.

Copy this file into the Airflow DAGs folder and set the variables at the top (or Airflow
Variables). It calls the project's `scripts/submit`, which wraps spark-submit, in client mode so
that the exit code of the lifecycle command reaches Airflow:

    0  done                      -> success
    1  internal error            -> retried (a lost node, a flaky store)
    2  usage or configuration    -> failed, no retry: fix the config
    3  input unusable            -> failed, no retry: the input is missing or unreadable
    4  data-quality gate         -> failed, no retry: look at transactions_rejected
  143  stopped by SIGTERM        -> retried: this DAG sends it on execution_timeout

Re-running a DAG run (clear the task) re-runs the same snapshot; that replaces the snapshot's
tables atomically and touches no other snapshot, so backfills and retries are safe.
"""

import os
import subprocess
from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.exceptions import AirflowFailException
from airflow.operators.python import PythonOperator

LIFECYCLE_HOME = os.environ.get("LIFECYCLE_HOME", "/opt/lifecycle")  # a checkout with the built jar
TARGET = os.environ.get("LIFECYCLE_TARGET", "yarn")  # yarn | kubernetes | standalone | local
CONFIG = os.environ.get("LIFECYCLE_CONFIG", "/etc/lifecycle/cluster.properties")

NO_RETRY = {
    2: "usage or configuration error: fix the config",
    3: "input unusable: check the input path and schema",
    4: "data-quality gate failed: see transactions_rejected for this snapshot",
}


def lifecycle(command, snapshot, *extra):
    """Runs one lifecycle command for the snapshot and maps its exit code to Airflow's outcome."""
    # Client deploy mode keeps the driver on this worker, so the exit code is the command's own.
    env = dict(os.environ, LIFECYCLE_CONFIG=CONFIG, DEPLOY_MODE="client")
    args = [f"{LIFECYCLE_HOME}/scripts/submit", TARGET, command, "--as-of", snapshot, *extra]
    with subprocess.Popen(args, env=env) as process:
        try:
            code = process.wait()
        except BaseException:
            # execution_timeout, or the task marked failed: SIGTERM, not subprocess.run's SIGKILL,
            # so the run records itself as failed, deletes its staging and releases its lease
            # (within about 20 s; docs/operations.md, section 7). SIGKILL if it has not ended in a minute.
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            raise
    if code in NO_RETRY:
        raise AirflowFailException(f"lifecycle {command} for {snapshot}: exit {code}, {NO_RETRY[code]}")
    if code != 0:
        raise RuntimeError(f"lifecycle {command} for {snapshot}: exit {code}, internal error (retried)")


with DAG(
    dag_id="lifecycle_nightly",
    schedule="0 2 * * *",  # 02:00 UTC, after the day's transactions have landed
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # one run at a time per warehouse
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["lifecycle"],
) as dag:
    # `ds` is the start of the data interval: for a daily schedule, the day that just ended.
    run = PythonOperator(
        task_id="run",
        python_callable=lifecycle,
        # --wait: a manual run or backfill of the same day holds its lease; wait for it (up to an
        # hour) rather than fail with exit 2, which this DAG does not retry.
        op_args=["run", "{{ ds }}", "--wait"],
        execution_timeout=timedelta(hours=3),
    )
