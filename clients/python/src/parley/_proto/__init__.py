"""Generated from Protos/ by Tools/gen-protos. Do not edit."""
