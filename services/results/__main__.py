from services.results.main import main

main()
