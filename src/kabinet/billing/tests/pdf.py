"""Reading generated PDFs as a person and a banking app do: the text (pdftotext) and the QR codes
(pdftoppm at 200 dpi, decoded by zxing-cpp). Shared by the billing tests and the browser journeys."""

import subprocess
import tempfile
from pathlib import Path


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def qr_texts(content: bytes) -> list[str]:
    """Render the first page at 200 dpi (pdftoppm) and decode every QR on it (zxing-cpp)."""
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "receipt.pdf"
        pdf.write_bytes(content)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "200",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                pdf,
                pdf.with_suffix(""),
            ],
            check=True,
        )
        image = Image.open(pdf.with_suffix(".png"))
        return [code.text for code in zxingcpp.read_barcodes(image)]
