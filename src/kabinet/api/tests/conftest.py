import pytest

from kabinet.identity.models import ApiToken
from kabinet.identity.token_services import INTEGRATION_SCOPES, api_token_create


@pytest.fixture
def integration_token(administrator):
    _token, raw = api_token_create(
        actor=administrator,
        kind=ApiToken.Kind.INTEGRATION,
        name="1С: Биллинг",
        scopes=INTEGRATION_SCOPES,
    )
    return raw


@pytest.fixture
def api(client, integration_token):
    """A client that sends the integration token."""

    class Api:
        def __init__(self, raw):
            self.headers = {"Authorization": f"Bearer {raw}"}

        def post(self, path, data, **headers):
            return client.post(
                f"/api/v1{path}",
                data,
                content_type="application/json",
                headers={**self.headers, **headers},
            )

        def get(self, path, **params):
            return client.get(f"/api/v1{path}", params, headers=self.headers)

    return Api(integration_token)
