from alto_crm import AltoClient

# Initialize client
client = AltoClient(sandbox=True)

# Create a contact
contact = client.create_contact({
    "firstName": "John",
    "lastName": "Doe",
    "email": "john.doe@example.com"
})

# Get reference checks
from datetime import datetime, timedelta
checks = client.get_reference_checks(
    start_date=datetime.now() - timedelta(days=7)
)
