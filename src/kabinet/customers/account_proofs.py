"""Proofs of ownership a deployment may ask for when a customer links a personal account.

`KABINET_ACCOUNT_LINK_PROOF` names one. Customers registers the receipt code itself; a higher domain
that owns the data registers its own proof in `AppConfig.ready()` (billing: the amount of the last
bill). A proof's `check(account, value)` answers only yes or no, so a wrong proof can never reveal
whether the account exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class LinkProof:
    key: str
    label: str | Promise  # the field's label in the wizard
    help_text: str | Promise
    check: Callable[[Any, str], bool]  # (PersonalAccount, what the user typed) -> matches?
    input_mode: str = "text"  # the HTML inputmode of the field ("decimal" for amounts)


_proofs: dict[str, LinkProof] = {}


def register_link_proof(proof: LinkProof) -> None:
    _proofs[proof.key] = proof


def link_proof(key: str) -> LinkProof:
    try:
        return _proofs[key]
    except KeyError:
        raise LookupError(
            f"KABINET_ACCOUNT_LINK_PROOF={key!r} is not a registered proof ({', '.join(_proofs)})"
        ) from None


def link_proofs() -> list[LinkProof]:
    return list(_proofs.values())
