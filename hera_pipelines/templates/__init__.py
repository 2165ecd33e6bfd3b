"""The platform's flows (WorkflowTemplates) written with Hera, one module per flow.

`FLOWS` is the one registry: adding a flow is one module exporting `FLOW = Flow(SPEC, manifests)`
and one line here. The render pipeline renders them in this order; a flow's grants count towards
the workflows' Role only when it rendered something.
"""

from __future__ import annotations

from hera_pipelines.templates import (
    ci_remediation,
    coderun_template,
    comment_remediation,
    issue_flow,
    play,
    pr_flow,
    qa_gate,
    security_remediation,
    task_pipeline,
)
from hera_pipelines.workflows.contract import Flow

__all__ = ["FLOWS"]

FLOWS: tuple[Flow, ...] = (
    ci_remediation.FLOW,
    coderun_template.FLOW,
    comment_remediation.FLOW,
    issue_flow.FLOW,
    play.FLOW,
    pr_flow.FLOW,
    qa_gate.FLOW,
    security_remediation.FLOW,
    task_pipeline.FLOW,
)
