"""QR codes drawn here, as inline SVG (pure-Python ``qrcode``; no image service, no PIL)."""

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(payload: str) -> str:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, image_factory=SvgPathImage)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image().to_string(encoding="unicode")
