"""Background work of supply. Thin: the documents' zip and its daily purge, the contract's act."""

from django.tasks import task


@task
def document_bundle_build_task(*, bundle_id: int) -> str:
    """Build the zip of a bundle (idempotent: a bundle leaves «queued» once)."""
    # import here: supply.services imports this task to enqueue it (cycle)
    from kabinet.supply.services import document_bundle_build

    bundle = document_bundle_build(bundle_id=bundle_id)
    return bundle.status if bundle else "skipped"


@task
def document_bundles_purge_task() -> dict[str, int]:
    """Run daily (`kabinet purge_supply_bundles`): deletes expired zips, fails the stalled ones."""
    # import here: supply.services imports this module (cycle)
    from kabinet.supply.services import document_bundles_purge

    result = document_bundles_purge()
    return {"deleted": result.deleted, "failed": result.failed}


@task
def contract_act_generate_task(*, act_id: int) -> str:
    """Make a contract's reconciliation act (idempotent: an act leaves «queued» once)."""
    # import here: supply.services imports this module (cycle)
    from kabinet.supply.services import contract_act_generate

    act = contract_act_generate(act_id=act_id)
    return act.status if act else "skipped"
