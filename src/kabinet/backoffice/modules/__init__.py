"""«Модули»: administrators switch the installed modules off and on without a restart."""
