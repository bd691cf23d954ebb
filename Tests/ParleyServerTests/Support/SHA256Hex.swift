@testable import ParleyServer

func sha256Hex(_ s: String) -> String { KeyStore.digest(s) }
