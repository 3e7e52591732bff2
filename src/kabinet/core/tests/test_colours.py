from kabinet.core.colours import contrast_ratio


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48  # the classic just-fails grey
    assert contrast_ratio("#0B5CAD", "#FFFFFF") > 4.5  # the default brand colour passes
