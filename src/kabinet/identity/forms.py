from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):
    """allauth's login form without the reset link inside the password's help text: the page shows
    «Забыли пароль?» as its own link, so a screen reader does not read it as the field's hint."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
