"""«Приём показаний»: administrators set the days of the month customers may submit readings."""
