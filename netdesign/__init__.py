"""netdesign: multimodal express network design and parcel-volume forecasting."""
__version__ = "0.1.0"
