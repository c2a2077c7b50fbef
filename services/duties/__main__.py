from services.duties.main import main

main()
