/// The version parleyd reports in Welcome and ServerInfo.
public enum ParleyVersion {
    public static let string = "0.1.0"
}
