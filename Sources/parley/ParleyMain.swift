import ParleyCLI

@main
enum ParleyMain {
    static func main() async {
        await ParleyCommand.main()
    }
}
