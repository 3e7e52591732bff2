import factory

from kabinet.identity.models import User
from kabinet.identity.services import user_create

PASSWORD = "Test-Password-2026"


class UserFactory(factory.Factory):
    """Users made through the service, as the portal makes them (verified email, roles)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.ru")
    password = PASSWORD
    last_name = "Сидоров"
    first_name = "Иван"
    patronymic = ""
    phone = None
    is_staff = False
    roles: tuple[str, ...] = ()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return user_create(email_verified=True, **kwargs)
