from services.procedures.main import main

main()
