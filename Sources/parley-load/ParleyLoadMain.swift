import ParleyCLI

@main
enum ParleyLoadMain {
    static func main() async {
        await ParleyLoadCommand.main()
    }
}
