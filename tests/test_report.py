"""Pictures and pages: the pieces that can be checked by hand."""

from samrank import Keyphrase
from samrank.report import keyphrase_mask


def test_keyphrase_mask_marks_every_occurrence():
    text = "wind farms and wind power"
    found = [Keyphrase("wind farms", 1.0, ((0, 10),)), Keyphrase("wind", 0.5, ((0, 4), (15, 19)))]
    mask = keyphrase_mask(text, found)
    assert "".join(c for c, m in zip(text, mask) if m) == "wind farmswind"
    assert not keyphrase_mask(text, []).any()
