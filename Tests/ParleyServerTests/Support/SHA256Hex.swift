import ParleyCore

func sha256Hex(_ s: String) -> String { KeyStore.digest(s) }
