"""The project's state, gathered from and given back to the panels (a mixin of
ui/app/project_controller.ProjectController), and the dataset check when a project opens.

Each panel's `project_state()` becomes part of a `core.project.Project`; the keys "spec",
"dataset", "training" and "runs" are lifted into their own parts of the file (and given back
under the same keys); everything else a panel returns is kept as it is. Embedded "My digits" are
restored into the user's own collection when it holds the same digits, else into a copy.
"""
from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path
from typing import Any

from desktop_dl.core.errors import UserError
from desktop_dl.core.project import (EMBED_LIMIT_BYTES, DatasetRef, Project, RunRecord,
                                     check_dataset, content_sha256)
from desktop_dl.core.spec import ModelSpec
from desktop_dl.paths import user_data_dir

log = logging.getLogger(__name__)

LIFTED_KEYS = ("spec", "dataset", "training", "runs")
RUN_KEYS = ("id", "name", "created", "spec", "settings", "history", "metrics", "kept", "weights",
            "weights_path")
_OWNER_KEY = "_project_parts"     # which lifted keys came from which panel
PERSONAL_DIGITS = "my-digits"     # core/personal_digits.py; embedded in the project file


class ProjectStateMixin:
    """ProjectController's gathering and restoring (it is a QObject; this class only adds methods)."""

    # -- state -----------------------------------------------------------------------------------
    def gather(self) -> Project:
        """The current state of every panel as a Project."""
        project = Project()
        for name, panel in self.panels.items():
            getter = getattr(panel, "project_state", None)
            if getter is None:
                continue
            state = dict(getter() or {})
            owned = [k for k in LIFTED_KEYS if k in state]
            for key in owned:
                self._lift(project, key, state.pop(key))
            if "spec" in owned and project.spec is not None:
                # give the spec back in the form the panel gave it (a dict or a ModelSpec)
                owned[owned.index("spec")] = "spec" if self._spec_was_dict else "spec:object"
            if owned:
                state[_OWNER_KEY] = owned
            project.panels[name] = state
        if project.spec is None and self.spec_panel is not None:
            project.spec = self.spec_panel.spec()
        return project

    def _gather_or_empty(self) -> Project:
        try:
            return self.gather()
        except Exception:   # a panel that cannot describe itself yet must not stop the window
            log.exception("gathering project state failed")
            return Project()

    def _lift(self, project: Project, key: str, value: Any) -> None:
        if key == "spec":
            self._spec_was_dict = isinstance(value, dict)
            project.spec = value if isinstance(value, ModelSpec) or value is None else ModelSpec.from_dict(value)
        elif key == "dataset":
            project.dataset = self._dataset_ref(value)
        elif key == "training":
            project.training = dict(value or {})
        elif key == "runs":
            project.runs = [self._run_record(i, r) for i, r in enumerate(value or [])]

    def _dataset_ref(self, value: Any) -> DatasetRef | None:
        if value is None:
            return None
        if isinstance(value, DatasetRef):
            ref = value
        else:
            value = dict(value)
            path = value.get("path")
            name = value.get("name") or (Path(path).name if path else "")
            ref = DatasetRef(str(name), path, value.get("sha256"), dict(value.get("options") or {}),
                             value.get("embedded") or None,
                             state_keys=[k for k in value if k != "sha256"])
        # A missing content hash is computed by the save job (a dataset can be a GB), not here.
        if ref.name == PERSONAL_DIGITS and not ref.path and not ref.embedded:
            ref.embedded = self._personal_digits()
        return ref

    def _personal_digits(self) -> dict | None:
        """The user's own digits, embedded so the project carries them to another computer."""
        from desktop_dl.core.personal_digits import load_personal_digit_arrays, personal_digits_path
        path = personal_digits_path()
        try:
            st = path.stat()
        except OSError:
            return None
        if st.st_size > EMBED_LIMIT_BYTES:
            return None
        key = ("embedded", str(path), st.st_size, st.st_mtime_ns)
        if key not in self._hash_cache:
            try:
                digits = load_personal_digit_arrays(path)
            except UserError as exc:
                log.warning("personal digits not embedded: %s", exc)
                return None
            self._hash_cache[key] = {"x": digits.x, "y": digits.y}
        return self._hash_cache[key]

    def _fill_dataset_hash(self, project: Project) -> None:
        """Give the dataset its content hash if the panel had none (on the save job's thread)."""
        ref = project.dataset
        if ref is not None and ref.path and not ref.sha256 and not ref.embedded and Path(ref.path).exists():
            ref.sha256 = self._hash(Path(ref.path))

    def _hash(self, path: Path) -> str:
        """Content hash, remembered while the file's size and time are unchanged (saves are
        frequent; datasets are large and rarely change)."""
        try:
            st = path.stat()
            key = (str(path), st.st_size, st.st_mtime_ns)
        except OSError:
            return ""
        if key not in self._hash_cache:
            try:   # regular files only, capped (core/project.py): never a hang on /dev/zero
                self._hash_cache[key] = content_sha256(path)
            except (UserError, OSError) as exc:
                log.warning("dataset not hashed: %s", exc)
                self._hash_cache[key] = ""
        return self._hash_cache[key] or None

    @staticmethod
    def _run_record(index: int, run: Any) -> RunRecord:
        if isinstance(run, RunRecord):
            return run
        run = dict(run)
        spec = run.get("spec")
        if isinstance(spec, ModelSpec):
            spec = spec.to_dict()
        return RunRecord(id=str(run.get("id", index + 1)), name=str(run.get("name", "")),
                         created=str(run.get("created", "")), spec=spec,
                         settings=dict(run.get("settings") or {}), history=dict(run.get("history") or {}),
                         metrics=dict(run.get("metrics") or {}), kept=bool(run.get("kept", False)),
                         weights=run.get("weights"), weights_path=run.get("weights_path"),
                         extra={k: v for k, v in run.items() if k not in RUN_KEYS})

    def restore(self, project: Project) -> None:
        """Give every panel its part of `project` back."""
        ref = project.dataset
        if ref is not None and ref.name == PERSONAL_DIGITS and not ref.path and not ref.embedded:
            # A project file that names "My digits" without carrying them would make this
            # computer's own digits the dataset, and the next save would embed them in a file
            # that goes back to its sender. Only the user choosing them again does that.
            project.dataset = None
            self.prompts.note(self.tr("This project names \u201cMy digits\u201d as its data but "
                                      "does not carry them, so your own digits were not added to "
                                      "it. Choose the data again on the Data tab."))
        lifted = {"spec": project.spec.to_dict() if project.spec is not None else None,
                  "spec:object": project.spec, "dataset": self._dataset_state(project.dataset),
                  "training": project.training,
                  "runs": [self._run_state(r) for r in project.runs]}
        spec_restored = False
        for name, panel in self.panels.items():
            setter = getattr(panel, "restore_project_state", None)
            if setter is None:
                continue
            state = dict(project.panels.get(name, {}))
            for key in state.pop(_OWNER_KEY, []):
                if key in lifted:
                    state[key.split(":")[0]] = lifted[key]
                    spec_restored |= key.startswith("spec")
            try:
                setter(state)
            except UserError as exc:
                self.prompts.warn(str(exc))
            except Exception as exc:   # a project file is outside input: one bad part must not stop the rest
                log.exception("restoring the %s panel failed", name)
                self.prompts.warn(self.tr("Part of the project could not be restored (%s: %s). The "
                                          "rest of it is open.") % (name, exc))
        if not spec_restored and project.spec is not None and self.spec_panel is not None:
            self.spec_panel.set_spec(project.spec)
        self.projectRestored.emit(project)

    @staticmethod
    def _dataset_state(ref: DatasetRef | None) -> dict | None:
        """The dataset entry as the panel gave it (same keys), with the saved content hash."""
        if ref is None:
            return None
        if ref.embedded and ref.name == PERSONAL_DIGITS and not ref.path:
            return ProjectStateMixin._personal_digits_state(ref)
        full = {"name": ref.name, "path": ref.path, "options": ref.options, "embedded": ref.embedded}
        keys = ref.state_keys if ref.state_keys is not None else list(full)
        state = {k: full[k] for k in keys if k in full}
        if ref.sha256:
            state["sha256"] = ref.sha256
        return state

    @staticmethod
    def _personal_digits_state(ref: DatasetRef) -> dict:
        """Embedded personal digits: the user's own collection when it holds the same digits,
        else a copy in the data folder (never overwriting someone's own collection)."""
        import numpy as np

        from desktop_dl.core.atomic_write import write_bytes_atomic
        from desktop_dl.core.personal_digits import load_personal_digit_arrays
        x, y = np.asarray(ref.embedded["x"]), np.asarray(ref.embedded["y"])
        try:
            mine = load_personal_digit_arrays()
            if np.array_equal(mine.x, x) and np.array_equal(mine.y, y):
                return {"name": PERSONAL_DIGITS}
        except UserError:
            pass
        digest = hashlib.sha256(x.tobytes() + y.tobytes()).hexdigest()[:12]
        path = user_data_dir() / "project_data" / f"my-digits-{digest}.npz"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            buf = io.BytesIO()
            np.savez_compressed(buf, x=x, y=y)
            write_bytes_atomic(path, buf.getvalue())
        return {"path": str(path), "options": {}}

    @staticmethod
    def _run_state(run: RunRecord) -> dict:
        state = dict(run.extra)
        state.update({"id": run.id, "name": run.name, "created": run.created, "spec": run.spec,
                      "settings": run.settings, "history": run.history, "metrics": run.metrics,
                      "kept": run.kept, "weights": run.weights, "weights_path": run.weights_path})
        return state

    def _check_dataset(self, project: Project) -> bool:
        """Report a moved or changed dataset; True when the user located it somewhere new.

        Only the cheap part (is it there?) runs here; comparing the content hash reads the whole
        dataset, so it runs in a background job (cancelled when another project opens) and notes
        a difference when it finishes. The path comes from the project file and is untrusted:
        the hash reads regular files only, up to a size cap (core/project.py)."""
        ref = project.dataset
        if ref is None:
            return False
        self._cancel_dataset_check()
        relocated = False
        if not ref.embedded and ref.path and not Path(ref.path).exists():
            message = check_dataset(ref).message      # "missing": no file is read
            located = self.prompts.locate_dataset(ref, message)
            if located:
                ref.path = located
                relocated = True
            else:
                self.prompts.note(message)
                return False
        if ref.sha256 and ref.path and not ref.embedded:
            self._start_dataset_check(DatasetRef(ref.name, ref.path, ref.sha256), relocated)
        return relocated

    def _start_dataset_check(self, ref: DatasetRef, relocated: bool) -> None:
        from desktop_dl.ui.base.jobs import Job

        job = Job(lambda _report, cancelled: check_dataset(ref, cancelled), self,
                  name="dataset-check")
        job.result.connect(lambda check: self._dataset_checked(ref, check, relocated))
        job.error.connect(lambda message, _details: log.warning("dataset check: %s", message))
        self._dataset_job = job
        job.start()

    def _dataset_checked(self, ref: DatasetRef, check, relocated: bool) -> None:
        if check.status == "changed":
            if relocated:
                self.prompts.note(self.tr("The file you chose for \u201c%s\u201d is not the same "
                                          "data the project was saved with (its content hash "
                                          "differs). New runs may not be comparable with the "
                                          "saved ones.") % ref.name)
            else:
                self.prompts.note(check.message)
        elif check.status == "unchecked":
            self.prompts.note(check.message)

    def _cancel_dataset_check(self) -> None:
        job = getattr(self, "_dataset_job", None)
        if job is not None and job.is_running():
            job.cancel()

    def wait_for_dataset_check(self, msecs: int = 30000) -> bool:
        """For tests and shutdown: wait until the background dataset check has reported."""
        job = getattr(self, "_dataset_job", None)
        return job is None or job.wait(msecs)
