"""A customer's own endpoints, for a personal token («Доступ для приложений»): their meters, bills
and a reading — exactly what the portal shows and accepts, through the same selectors and services.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from kabinet.api import schemas
from kabinet.api.auth import PersonalBearer, token_of
from kabinet.api.idempotency import idempotent
from kabinet.billing.selectors import bill_list_for
from kabinet.customers.account_selectors import account_reachable_for
from kabinet.metering.selectors import meter_get_for, meter_reachable_for
from kabinet.metering.services import ReadingConfirmationRequired, reading_submit

router = Router(auth=PersonalBearer(), tags=["me"])
_ERRORS = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    422: schemas.Error,
    429: schemas.Error,
}


@router.get(
    "/meters",
    response={200: list[schemas.MyMeterOut], **_ERRORS},
    auth=PersonalBearer("readings:write"),
)
def my_meters(request: HttpRequest):
    """Мои приборы учёта (их id нужен, чтобы передать показания)."""
    token = token_of(request)
    meters = meter_reachable_for(token.user).select_related("account").order_by("pk")
    return [
        schemas.MyMeterOut(
            id=str(meter.public_id),
            account_number=meter.account.number,
            kind=meter.kind,
            serial_number=meter.serial_number,
            zones=list(meter.zone_codes),
        )
        for meter in meters
    ]


@router.get(
    "/bills",
    response={200: list[schemas.MyBillOut], **_ERRORS},
    auth=PersonalBearer("bills:read"),
)
def my_bills(request: HttpRequest):
    """Мои счета: последние периоды каждого моего лицевого счёта."""
    token = token_of(request)
    bills = []
    for account in account_reachable_for(token.user).order_by("number")[:20]:
        bills.extend(bill_list_for(token.user, account))
    return [
        schemas.MyBillOut(
            id=str(bill.public_id),
            account_number=bill.account.number,
            period=bill.period,
            number=bill.number,
            charged=bill.charged,
            closing_balance=bill.closing_balance,
            status=bill.status,
            lines=[
                schemas.MyBillLineOut(service_name=line.service_name, amount=line.amount)
                for line in bill.lines.all()
            ],
        )
        for bill in bills
    ]


@router.post(
    "/readings",
    response={200: schemas.MyReadingOut, 404: schemas.Error, 409: schemas.Error, **_ERRORS},
    auth=PersonalBearer("readings:write"),
)
def my_reading_submit(request: HttpRequest, payload: schemas.MyReadingIn):
    """Передать показания прибора за текущий месяц, как в кабинете (окно приёма, проверки)."""
    token = token_of(request)
    meter = meter_get_for(token.user, payload.meter_id)

    def run() -> schemas.MyReadingOut:
        try:
            submission = reading_submit(
                actor=token.user,
                meter=meter,
                values_by_zone=payload.values,
                confirm_jump=payload.confirm_jump,
            )
        except ReadingConfirmationRequired as error:
            raise HttpError(
                422, "; ".join(error.messages) + " Подтвердите: confirm_jump = true."
            ) from error
        except ValidationError as error:
            raise HttpError(422, "; ".join(error.messages)) from error
        except PermissionDenied as error:
            raise HttpError(403, "Нет права передавать показания этого прибора.") from error
        return schemas.MyReadingOut(
            submission_id=str(submission.public_id),
            meter_id=str(meter.public_id),
            period=submission.period,
        )

    return idempotent(request, run)
