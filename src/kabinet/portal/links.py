"""The customer face's pages that lower layers link to (`core.links.url_for`)."""

from django.urls import reverse

from kabinet.core.links import link_register


def register() -> None:
    link_register(
        "invitation_accept",
        lambda token: reverse("portal:invitation_accept", kwargs={"token": token}),
    )
    link_register(
        "request", lambda req: reverse("portal:servicedesk:request_detail", args=[req.public_id])
    )
    link_register("bill", lambda bill: reverse("portal:bills:detail", args=[bill.public_id]))
    link_register("readings_enter", lambda: reverse("portal:metering:enter"))
    link_register("accounts", lambda: reverse("portal:accounts:list"))
    link_register("document", lambda doc: reverse("portal:documents:detail", args=[doc.public_id]))
    link_register("signature_verify", lambda code: reverse("portal:verify:check") + f"?code={code}")
    link_register(
        "notifications.broadcast",
        lambda public_id: reverse("portal:notifications:notice", args=[public_id]),
    )
    link_register("survey", lambda public_id: reverse("portal:surveys:answer", args=[public_id]))
