/// The fan-out driver shipped in every Ray job package; the same text as
/// `scripts/ray/qt_sweep_driver.py` (a test keeps them equal: edit the script, then paste it here).
enum RayDriverScript {
    static let fileName = "qt_sweep_driver.py"
    static let text = #"""
"""Fan-out driver of `qt sweep --engine ray`: runs every unit of units.json as a Ray task.

Shipped inside the job package (the working directory of the job and of its tasks) with the
`qt` binary, its libraries, configurations and data. Each unit runs `./qt <args>`; its last
stdout line (one JSON object) is printed unchanged as

    QT_SWEEP_RESULT <unit id> ok <json line>
    QT_SWEEP_RESULT <unit id> failed <json string with the reason>

as soon as the unit finishes, which the Swift client reads from the job's logs. A unit whose
`qt` exits non-zero is a result (failed), not retried: it would fail again. A task lost with
its worker (node down, out of memory) is retried by Ray up to max_retries times.
"""
import json
import os
import subprocess
import sys

import ray

MARKER = "QT_SWEEP_RESULT"


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    ray.init()

    @ray.remote(num_cpus=1, max_retries=int(spec.get("max_retries", 3)))
    def run_unit(unit):
        environment = dict(os.environ)
        library = os.path.join(os.getcwd(), "lib")
        environment["LD_LIBRARY_PATH"] = library + os.pathsep + environment.get("LD_LIBRARY_PATH", "")
        command = [os.path.abspath(spec["qt"])] + unit["args"]
        done = subprocess.run(command, capture_output=True, text=True, env=environment)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if line.strip()]
            reason = "exit %d: %s" % (done.returncode, errors[-1] if errors else "no message")
            return "failed", json.dumps(reason)
        if not lines:
            return "failed", json.dumps("the unit printed no JSON result line")
        return "ok", lines[-1]

    pending = {run_unit.remote(unit): unit["id"] for unit in spec["units"]}
    while pending:
        finished, _ = ray.wait(list(pending), num_returns=1)
        for reference in finished:
            unit_id = pending.pop(reference)
            try:
                status, payload = ray.get(reference)
            except Exception as error:  # the task failed beyond its retries
                status, payload = "failed", json.dumps("ray task failed: %s" % str(error)[-400:])
            print("%s %s %s %s" % (MARKER, unit_id, status, payload), flush=True)


if __name__ == "__main__":
    main()

"""#
}
