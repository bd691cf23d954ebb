/// The release every executable reports with `--version`, and parleyd in Welcome and
/// ServerInfo. In ParleyWire because both the server and the command-line side see it.
public enum ParleyVersion {
    public static let string = "0.1.0"
}
