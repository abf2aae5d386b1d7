"""The work of each kind of job another app does is registered by name when Django starts and
imported when a job of the kind first runs (jobs/work.py): a name that does not import, or a kind
nobody registered, must fail here rather than in a worker."""

import pytest
from django.utils.module_loading import import_string

from placewise.jobs import at_retention, work
from placewise.jobs.models import Job

# Loads and linkage runs are the jobs app's own (jobs/tasks.py); every other kind is another's.
OWN = {Job.Kind.INGEST, Job.Kind.LINKAGE}


@pytest.mark.parametrize("kind", sorted(set(Job.Kind) - OWN))
def test_every_other_kind_of_job_has_work_that_imports(kind):
    done = work.work_for(kind)
    assert callable(done)
    assert done.__module__.startswith("placewise.")


def test_a_kind_nobody_registered_is_refused_by_name():
    with pytest.raises(LookupError, match="no work is registered for jobs of kind 'weaving'"):
        work.work_for("weaving")


def test_retentions_other_steps_import():
    assert at_retention._STEPS, "an app registers a step (community contacts)"
    assert all(callable(import_string(path)) for path in at_retention._STEPS.values())
