"""Phrase pools the text composer draws from.

Each pool is independent of the others, so a message is a product of many small choices and no
single template repeats. `{placeholders}` are filled lazily by `text._Fill` (only the ones used).
Kept as plain data so a reviewer can read and extend the language without touching logic.
"""

from __future__ import annotations

PRODUCT = "Tallyhawk"
VENDOR_DOMAIN = "tallyhawk.example"

# Product areas a conversation is about; billing and performance carry the sharpest language.
AREAS: tuple[str, ...] = (
    "billing",
    "integrations",
    "reporting",
    "onboarding",
    "performance",
    "access",
    "mobile",
    "data_import",
    "notifications",
    "automation",
)

# ---------------------------------------------------------------- customer, by emotion
GREETINGS_FORMAL = (
    "Hello {agent},",
    "Dear {agent},",
    "Hi {agent},",
    "Good morning,",
    "Good afternoon {agent},",
    "Hello Support team,",
    "Dear Tallyhawk team,",
    "Hi team,",
    "To whom it may concern,",
)
GREETINGS_CASUAL = (
    "Hey {agent}!",
    "Hi there,",
    "hey team",
    "Hiya,",
    "Morning {agent},",
    "Hey folks,",
    "Hi {agent} 👋",
    "Yo,",
    "",
)

OPENERS: dict[str, tuple[str, ...]] = {
    "delight": (
        "Just wanted to say a huge thank you!",
        "I have to share some good news with you.",
        "Honestly, this made my week.",
        "Wow — what a difference the last release made.",
        "Quick note of appreciation from all of us at {company}.",
        "You folks are amazing, seriously.",
        "Our team is thrilled so far.",
    ),
    "satisfaction": (
        "Thanks for the quick help last time.",
        "Things have been running smoothly on our side.",
        "Hope you're well.",
        "Appreciate the follow-up.",
        "All good here, mostly.",
        "Thanks again for sorting out the last issue so fast.",
        "Hope your week is going well.",
    ),
    "curiosity": (
        "Quick question for you.",
        "I was wondering about something.",
        "Hope you're doing well — I have a question.",
        "We're exploring a new use case and had a question.",
        "Curious about something we noticed in the roadmap.",
        "Not urgent, just curious.",
        "Our ops lead asked me to check something with you.",
    ),
    "neutral": (
        "Hope you're well.",
        "Following up on our call.",
        "Per our conversation earlier,",
        "Small request from our side.",
        "Reaching out about our workspace.",
        "I'm the new admin for {company}.",
        "",
    ),
    "confusion": (
        "I'm a bit lost here.",
        "Sorry if this is a silly question, but I can't figure this out.",
        "I've read the docs twice and I'm still confused.",
        "Not sure if this is a bug or if I'm doing something wrong.",
        "Could you help me understand something?",
        "I'm confused about how this is supposed to work.",
        "Help please, I'm going in circles.",
    ),
    "anxiety": (
        "I'm a little worried about something.",
        "We have a deadline coming up and I'm nervous about this.",
        "This is making me quite anxious, to be honest.",
        "I need some reassurance here.",
        "Slightly panicking over here.",
        "Before our board meeting on {day} I need to be sure about this.",
        "I'm concerned we might lose data.",
    ),
    "frustration": (
        "I'm writing again because this still isn't fixed.",
        "This is the third time I'm reporting this.",
        "Great, another outage. Just what we needed.",
        "Still waiting on a real answer here.",
        "We keep running into the same problem.",
        "Honestly getting tired of chasing this.",
        "Oh wonderful, it broke again. Love that for us.",
        "Following up (again) on ticket {ticket}.",
        "Not to be a pain, but this is really slowing us down.",
    ),
    "disappointment": (
        "I have to say I'm disappointed.",
        "We expected more, frankly.",
        "This isn't what we were promised during the sales process.",
        "I was hoping the new release would fix this, but no.",
        "Sadly the situation hasn't improved.",
        "We had high hopes for {product}, but it's been a letdown lately.",
        "Not the experience we signed up for.",
    ),
    "anger": (
        "This is completely unacceptable.",
        "I am extremely upset.",
        "Absolutely ridiculous.",
        "Fantastic. Yet another 'fix' that fixed nothing.",
        "I've had it with this.",
        "Nobody has replied in days and I'm furious.",
        "Enough is enough.",
        "WHY does this keep happening??",
    ),
}

# Problem statements by area; used for negative emotions.
PROBLEMS: dict[str, tuple[str, ...]] = {
    "billing": (
        "We were charged twice this month ({amount}).",
        "Our invoice went up by {pct}% without any notice.",
        "We're being billed for {n} seats but only use {m}.",
        "The credit you promised never showed up on the invoice.",
        "Invoice {invoice} has the wrong VAT number again.",
        "The card on file was charged after we downgraded.",
        "Your billing portal shows a balance of {amount} that we already paid.",
    ),
    "integrations": (
        "The {integration} sync has been failing since {when}.",
        "Contacts from {integration} are being duplicated on every sync.",
        "The webhook to our endpoint keeps timing out.",
        "API calls return 500 errors intermittently ({code}).",
        "Our {integration} connection disconnected itself and won't reconnect.",
        "Field mappings to {integration} reset after the update.",
    ),
    "reporting": (
        "The {report} report shows different numbers than the export.",
        "Dashboards are empty since {when}.",
        "Scheduled reports stopped arriving in our inbox.",
        "The {report} chart takes forever to load and then times out.",
        "Totals in the {report} report don't add up.",
        "The date filter on the {report} report ignores our time zone.",
    ),
    "onboarding": (
        "Our onboarding call was cancelled twice.",
        "The setup wizard crashes at the {step} step.",
        "We still don't have the training materials you promised.",
        "Half our users never received their invitation emails.",
        "The sandbox you set up for us is missing our data.",
    ),
    "performance": (
        "The app is painfully slow today.",
        "We had another outage this morning, around {time}.",
        "Pages take {n} seconds to load.",
        "Everything froze during our {meeting}.",
        "Search has been timing out all week.",
        "The platform was down for {n} hours yesterday.",
    ),
    "access": (
        "SSO login fails for everyone in our {team} team.",
        "I'm locked out of my account and the reset link doesn't work.",
        "New users can't be assigned the right roles.",
        "Two-factor codes arrive after they have expired.",
        "A deactivated user can still log in.",
    ),
    "mobile": (
        "The mobile app crashes when I open a contact.",
        "The iOS app logs me out every few minutes.",
        "Offline mode on Android loses our notes.",
        "Push notifications on mobile stopped working.",
    ),
    "data_import": (
        "The CSV import failed at row {row} with no explanation.",
        "Imported contacts lost their accents (José became Jos?).",
        "Our import has been stuck at {pct}% for hours.",
        "The importer created {n} duplicate records.",
        "Dates were imported as month/day instead of day/month.",
    ),
    "notifications": (
        "We're getting hundreds of duplicate notification emails.",
        "Alerts for overdue tasks never arrive.",
        "Slack notifications stopped after the update.",
        "Reminder emails go out at 3am our time.",
    ),
    "automation": (
        "Our workflow rules stopped firing on {when}.",
        "An automation sent {n} emails to the wrong customers.",
        "The assignment rule gives every lead to the same rep.",
        "Workflow history shows runs that never happened.",
    ),
}

# Questions by area; used for curiosity and neutral messages.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "billing": (
        "Can we switch to annual billing and get the discount?",
        "How do I add a second billing contact?",
        "Could you send a copy of invoice {invoice}?",
        "Is it possible to pay by bank transfer instead of card?",
        "What happens to our price if we add {n} more seats?",
    ),
    "integrations": (
        "Do you support a native {integration} integration?",
        "Is there a rate limit on the API we should know about?",
        "Can the {integration} sync run every 15 minutes instead of hourly?",
        "Is there a sandbox API key we can test with?",
        "Does the webhook payload include custom fields?",
    ),
    "reporting": (
        "Is there a way to export the {report} report to CSV?",
        "Can we schedule the {report} report for every Monday?",
        "How are the numbers in the {report} report calculated?",
        "Can I share a dashboard with someone outside our workspace?",
        "Is it possible to add a custom field to the {report} report?",
    ),
    "onboarding": (
        "Could we book another training session for new hires?",
        "What's the best way to roll this out to {n} users?",
        "Do you have a checklist for the first 30 days?",
        "Can we get access to the admin certification course?",
    ),
    "performance": (
        "Is there a status page we can subscribe to?",
        "Do you have planned maintenance this weekend?",
        "Which region is our data hosted in?",
    ),
    "access": (
        "How do I set up SSO with {idp}?",
        "Can we restrict access by IP address?",
        "Is there a read-only role for auditors?",
        "How do I transfer ownership of the workspace?",
    ),
    "mobile": (
        "Is there an iPad version of the app?",
        "Does the mobile app support offline mode?",
        "Can we disable the mobile app for some users?",
    ),
    "data_import": (
        "What's the maximum file size for imports?",
        "Can we import historical notes with their original dates?",
        "Is there a way to undo an import?",
        "Do you support importing from Excel directly?",
    ),
    "notifications": (
        "Can notifications be sent to a Teams channel?",
        "How do I turn off the daily digest for my team?",
        "Can we customise the reminder email template?",
    ),
    "automation": (
        "Can a workflow trigger when a deal changes stage?",
        "Is there a limit on how many automations we can run?",
        "Can automations call an external webhook?",
    ),
}

# How-to confusion by area.
CONFUSIONS: dict[str, tuple[str, ...]] = {
    "billing": (
        "I don't understand the line item called 'platform fee' on our invoice.",
        "Which plan are we actually on? The portal says {plan}, the invoice differs.",
        "Why are there two invoices for the same month?",
    ),
    "integrations": (
        "I connected {integration} but nothing seems to sync. Is there a step I missed?",
        "The docs mention an API token but I can't find where to create one.",
        "Which fields does the {integration} sync actually map?",
    ),
    "reporting": (
        "I can't figure out how to filter the {report} report by owner.",
        "Where did the {report} dashboard go after the redesign?",
        "What's the difference between 'active' and 'engaged' accounts in the reports?",
    ),
    "onboarding": (
        "The setup guide says to configure pipelines first, but the menu isn't there for me.",
        "I'm not sure which role to give our sales managers.",
        "We finished the wizard but the workspace still says 'setup incomplete'.",
    ),
    "performance": (
        "Is the slowness on your side or ours? I honestly can't tell.",
        "The status page says all green but nothing loads for us.",
    ),
    "access": (
        "How do permissions work between teams? Someone sees records they shouldn't.",
        "I set up SSO but now I don't know how admins log in without it.",
    ),
    "mobile": (
        "The mobile app shows different data than the web app. Which is right?",
        "I can't find the settings menu on the Android app.",
    ),
    "data_import": (
        "The import preview looked fine, but where did the records go?",
        "Do I need to map every column or just the required ones?",
    ),
    "notifications": (
        "I turned notifications off but still get them. Is there a second setting?",
        "Who decides who gets the escalation alerts?",
    ),
    "automation": (
        "I built a workflow but I can't tell if it ran.",
        "What does 'paused by system' mean on our automation?",
    ),
}

# Praise by area; delight and satisfaction.
PRAISE: dict[str, tuple[str, ...]] = {
    "billing": (
        "Thanks for fixing the invoice so quickly, finance is happy.",
        "The move to annual billing went perfectly.",
    ),
    "integrations": (
        "The new {integration} integration works beautifully.",
        "The API docs are excellent, our dev had it running in an afternoon.",
        "Sync with {integration} has been rock solid since the fix.",
    ),
    "reporting": (
        "The new {report} report saved us hours every week.",
        "Our VP loves the dashboards, she checks them every morning.",
        "Scheduled reports are a game changer for our Monday meeting.",
    ),
    "onboarding": (
        "Onboarding was the smoothest we've ever had with a vendor.",
        "{agent} ran a fantastic training session for our team.",
        "Everyone was up and running within a week.",
    ),
    "performance": (
        "The app feels so much faster since the update.",
        "Not a single hiccup during our busiest week. Impressive.",
    ),
    "access": (
        "SSO setup took ten minutes. Brilliant.",
        "The new roles make admin so much easier.",
    ),
    "mobile": (
        "The mobile app is great for our field reps.",
        "Offline mode saved us at the trade show.",
    ),
    "data_import": (
        "The import handled all {n} records without a single error.",
        "Migrating from our old CRM was painless.",
    ),
    "notifications": (
        "The digest emails are exactly what our managers needed.",
        "The Slack alerts are super helpful.",
    ),
    "automation": (
        "Our lead routing workflow now runs itself. Love it!",
        "Automations cut our manual work in half.",
    ),
}

# Details a customer adds to a message: (text, whether it belongs to a bug report, which only a
# message about a problem carries).
DETAILS: tuple[tuple[str, bool], ...] = (
    ("It happens for about {n} of our users.", True),
    ("Error message: '{error}' ({code}).", True),
    ("We're on the {plan} plan, workspace id {workspace}.", False),
    ("I'm using Chrome on Windows 11, cleared cache already.", True),
    ("Steps to reproduce:\n1. Open {report}\n2. Click export\n3. Nothing happens", True),
    ("It started right after your release on {when}.", True),
    ("Screenshot attached (see IMG_{row}.png).", False),
    ("Our IT team confirmed nothing changed on our side.", True),
    ("This affects both the EU and US teams.", True),
    ("It worked fine last {weekday}.", True),
    ("Copying {colleague} who manages our account.", False),
    ("Pasted from the log:\tstatus=failed\tretries=3", True),
    ("Ref: order #{invoice}", False),
    ("", False),
    ("", False),
)

IMPACTS: dict[str, tuple[str, ...]] = {
    "anxiety": (
        "We have an audit next week and I can't afford wrong numbers.",
        "If this isn't sorted by {day} I'll have some explaining to do.",
        "I'm worried we've lost some customer data.",
        "Our renewal decision is coming up and this doesn't help.",
    ),
    "frustration": (
        "This is blocking our month-end close.",
        "Our sales team can't log calls.",
        "We've lost half a day on this already.",
        "My team is doing it manually in spreadsheets again.",
        "We're missing follow-ups because of it.",
    ),
    "disappointment": (
        "It feels like things have gone downhill since last year.",
        "We expected this to be fixed by now.",
        "Our team is losing trust in the data.",
    ),
    "anger": (
        "We are losing money every hour this continues.",
        "Our customers are complaining to US now.",
        "My CEO is asking why we pay for this.",
        "This has cost us at least two deals.",
    ),
}

ASKS: dict[str, tuple[str, ...]] = {
    "delight": (
        "Keep up the great work!",
        "Please pass our thanks to the team.",
        "Happy to be a reference customer if that helps.",
        "Would love to join the beta for the next feature.",
    ),
    "satisfaction": (
        "Thanks again.",
        "No action needed, just wanted to let you know.",
        "Let me know if you need anything from us.",
        "Appreciate it!",
    ),
    "curiosity": (
        "Thanks in advance!",
        "Any pointers appreciated.",
        "Would be great to know before our planning on {day}.",
        "Is that on the roadmap?",
    ),
    "neutral": (
        "Please let me know.",
        "Thanks.",
        "Can you confirm?",
        "Let me know what you need from us.",
    ),
    "confusion": (
        "Could you walk me through it?",
        "Is there a doc or video for this?",
        "Can someone explain what I'm missing?",
        "A quick call would help, if possible.",
    ),
    "anxiety": (
        "Can you confirm nothing was lost?",
        "Please let me know as soon as you can.",
        "Can you tell me this will be fixed before {day}?",
        "I'd really appreciate a quick reply.",
    ),
    "frustration": (
        "Kindly resolve this ASAP, we are losing money.",
        "Can someone please escalate this?",
        "I'd appreciate an actual fix rather than another workaround.",
        "Please prioritise this.",
        "When can we expect a real answer?",
    ),
    "disappointment": (
        "I hope you can turn this around.",
        "Please tell me there's a plan to fix this.",
        "We need to see improvement soon.",
    ),
    "anger": (
        "I want a call with your manager today.",
        "Fix it now.",
        "I expect a refund for this month.",
        "Escalate this immediately.",
    ),
}

# Churn threats, added when the account is at risk.
CHURN_THREATS = (
    "To be honest, we are evaluating alternatives.",
    "If this isn't fixed we will cancel at renewal.",
    "We're seriously considering switching to {competitor}.",
    "Our leadership asked me to look at other vendors.",
    "I'm not sure we'll renew in {month}.",
    "Please send me the steps to cancel our subscription.",
    "{competitor} offered us a migration for free, and it's tempting.",
)

SARCASM = (
    "Great, another outage. Just what we needed.",
    "Love spending my Friday re-importing contacts. Really.",
    "Fantastic, the 'fix' broke the export too.",
    "Oh good, the dashboard is blank again. Very useful.",
    "Thanks so much for the five-day response time. Super helpful.",
    "Wonderful, another invoice I can't explain to finance.",
)

CLOSINGS_FORMAL = (
    "Best regards,",
    "Kind regards,",
    "Regards,",
    "Thank you,",
    "Many thanks,",
    "Sincerely,",
    "Best,",
)
CLOSINGS_CASUAL = ("Thanks!", "Cheers,", "thx", "Ta,", "Best,", "-", "Thanks a lot,", "")

PHONES = ("+1 415 555 {n4}", "+44 20 7946 {n4}", "+49 30 {n4} 118", "(617) 555-{n4}", "")

QUIRKS = {
    # Non-native and multilingual writers: accents, idioms and mixed languages real exports carry.
    "french": ("Merci beaucoup.", "Bonne journée !", "Désolé pour le dérangement."),
    "spanish": ("¡Muchas gracias!", "Saludos cordiales.", "Quedo atento."),
    "german": ("Vielen Dank im Voraus.", "Schöne Grüße aus München.", "Grüße, und danke."),
    "non_native": (
        "Please do the needful.",
        "Kindly revert at the earliest.",
        "I am having one doubt regarding this.",
    ),
}

EMOJI_BY_EMOTION = {
    "delight": ("🎉", "😍", "🙌", "🚀", "❤️"),
    "satisfaction": ("🙂", "👍", "😊"),
    "curiosity": ("🤔", "👀"),
    "neutral": ("",),
    "confusion": ("😕", "🤷", "❓"),
    "anxiety": ("😬", "😟"),
    "frustration": ("😤", "🙄", "😩"),
    "disappointment": ("😞", "👎"),
    "anger": ("😡", "🤬"),
}

CHAT_SHORT: dict[str, tuple[str, ...]] = {
    "delight": ("omg that worked!!", "you're a lifesaver", "perfect, thank you so much"),
    "satisfaction": ("ok that did it, thanks", "great, all sorted", "thanks, that helps"),
    "curiosity": ("quick q", "one more question", "out of curiosity"),
    "neutral": ("hi", "ok", "one sec, checking", "sure"),
    "confusion": ("wait, where is that?", "i don't see that option", "sorry, which menu?"),
    "anxiety": ("is my data safe??", "will this be fixed today?", "please hurry"),
    "frustration": ("still not working", "tried that already", "this is the 3rd time"),
    "disappointment": ("that's not really a solution", "meh", "ok, not great"),
    "anger": ("this is ridiculous", "useless", "get me a human"),
}

SOCIAL_TAGS = ("#customerservice", "#SaaS", "#fail", "#CRM", "#love", "#help", "#outage", "")

# ---------------------------------------------------------------- survey comments
SURVEY_COMMENTS: dict[str, tuple[str, ...]] = {
    "promoter": (
        "Great product and even better support.",
        "Reports save us hours every week.",
        "The team always goes the extra mile.",
        "Easy to use and reliable.",
        "{agent} is fantastic, thank you!",
        "Best CRM tool we've used.",
        "Love the integrations 🙌",
    ),
    "passive": (
        "Good overall, a few rough edges.",
        "Does the job. Reporting could be better.",
        "Support is fine but slow at times.",
        "Solid, but pricey for what we use.",
        "OK. Mobile app needs work.",
    ),
    "detractor": (
        "Too many outages lately.",
        "Support takes days to answer.",
        "Billing errors every other month.",
        "We're evaluating alternatives.",
        "Sync problems never get fixed.",
        "Not worth the price anymore.",
        "Great, another survey instead of a fix.",
    ),
}

# ---------------------------------------------------------------- agents and bots
AGENT_ACKS: dict[str, tuple[str, ...]] = {
    "positive": (
        "Thank you so much for the kind words!",
        "This made our day, thanks for sharing.",
        "So glad to hear it!",
        "Thanks for letting us know, that's great news.",
    ),
    "question": (
        "Thanks for reaching out.",
        "Great question!",
        "Happy to help with this.",
        "Thanks for getting in touch.",
    ),
    "negative": (
        "I'm really sorry for the trouble.",
        "I completely understand your frustration.",
        "Thanks for your patience, and apologies for the delay.",
        "I'm sorry this has been such a hassle.",
        "You're right to flag this, and I apologise.",
    ),
}

AGENT_GOOD: dict[str, tuple[str, ...]] = {
    "billing": (
        "I've refunded the duplicate charge of {amount}; it should appear within 5 business days.",
        "I've corrected the invoice and applied a credit to your next bill.",
        "Your seat count is now {m}, and the next invoice will reflect it.",
    ),
    "integrations": (
        "Engineering found the bug in the {integration} connector and deployed a fix today.",
        "I've re-authorised the connection and re-run the sync; all records are in now.",
        "The API errors came from a faulty node, which we've replaced.",
    ),
    "reporting": (
        "The {report} report was using a cached filter; I've cleared it and the totals now match.",
        "Scheduled reports are flowing again after we fixed the mail queue.",
        "I've restored the missing dashboard from yesterday's backup.",
    ),
    "onboarding": (
        "I've booked a new onboarding session for {day} and sent the invite.",
        "The training materials are now in your shared folder.",
        "I've resent all pending invitations.",
    ),
    "performance": (
        "The slowdown was caused by a database failover; it's fully resolved now.",
        "We've added capacity in your region and load times are back to normal.",
    ),
    "access": (
        "I've fixed the SSO certificate on our side; your team can log in again.",
        "I've reset your two-factor settings, please try again now.",
    ),
    "mobile": (
        "Version {version} of the app fixes the crash; please update from the store.",
        "I've reset your mobile session, so you should stay logged in now.",
    ),
    "data_import": (
        "I've cleaned up the {n} duplicates and re-run the import correctly.",
        "Row {row} had a stray delimiter; I fixed it and the import completed.",
    ),
    "notifications": (
        "The duplicate notifications were a bug that's now fixed.",
        "I've adjusted the reminder time zone for your workspace.",
    ),
    "automation": (
        "The workflow trigger was disabled during the upgrade; I've re-enabled it.",
        "I've fixed the assignment rule so leads rotate across your reps.",
    ),
}

AGENT_POOR = (
    "We are looking into it and will get back to you.",
    "Have you tried clearing your cache and logging in again?",
    "This is a known issue and our team is aware of it.",
    "I've passed this on to the relevant team.",
    "Could you please send us a screenshot and the exact steps?",
    "Unfortunately this is working as designed.",
)

AGENT_ANSWERS = (
    "Yes, you can do that under Settings → {setting}.",
    "Here's the guide that walks through it: https://help.tallyhawk.example/{slug}",
    "That's on our roadmap for {quarter}; I've added your vote.",
    "It isn't possible today, but there's a workaround using filters.",
    "I've enabled it for your workspace, give it a try.",
)

# A help desk's "no reply" automation, under the agent's name: a ticket waiting on the customer
# is solved after some days of silence.
AGENT_NO_REPLY = (
    "We haven't heard back from you, so we're closing {ticket} for now. Just reply here if you "
    "still need help.",
    "Closing this ticket as we haven't heard back. If the problem comes back, reply and it reopens.",
    "Since we didn't hear back, I'm marking {ticket} as solved. Reply any time to pick it up again.",
)

AGENT_NEXT = (
    "Let me know if anything else comes up.",
    "I'll keep this ticket open until you confirm.",
    "I'll check back in on {day}.",
    "Feel free to reply here if it happens again.",
    "",
)

AGENT_CLOSINGS = ("Best,", "Kind regards,", "Cheers,", "Thanks,", "All the best,")

AGENT_TITLES = (
    "Customer Success Manager",
    "Support Engineer",
    "Technical Support",
    "Senior Support Specialist",
    "Customer Support",
)

CHECKINS = (
    "Just checking in to see how things are going with {product}.",
    "It's been a few weeks since onboarding; how is the team getting on?",
    "Wanted to share our new {report} report, which I think fits your use case.",
    "Your renewal is coming up in {month}; do you have a few minutes to chat?",
    "We noticed logins have dropped a bit lately; anything we can help with?",
    "Quarterly review time! Could we book 30 minutes next week?",
)

BOT_TICKET = (
    "Thanks for contacting {product} Support! Your request {ticket} has been received. "
    "An agent will reply within {hours} hours.",
    "This is an automated reply: we've logged your request as {ticket}. "
    "Meanwhile, our help centre may have an answer: https://help.tallyhawk.example",
    "Hi! We got your message (ref {ticket}). Our team typically responds within {hours} hours.",
    "Your ticket {ticket} is now in our queue. You don't need to reply to this message.",
)

BOT_CHAT = (
    "Hi! I'm Hawky, the {product} virtual assistant. How can I help?",
    "Hello 👋 I'm a bot. Tell me what you need and I'll find the right person.",
    "Thanks for your message! Connecting you with an agent…",
    "I found these articles that might help: Getting started, Billing FAQ. Did they answer it?",
)

CALL_OPENERS = (
    "Call with {contact} ({role}).",
    "Spoke with {contact} today.",
    "Quick call: {contact}.",
    "{contact} called in.",
    "Monthly sync with {contact} and team.",
)

CALL_MOODS: dict[str, tuple[str, ...]] = {
    "delight": ("Very happy, calls us their favourite vendor.", "Enthusiastic about rollout."),
    "satisfaction": ("Generally satisfied.", "Things going well, no blockers."),
    "curiosity": ("Asked lots of roadmap questions.", "Exploring new use cases."),
    "neutral": ("Routine check-in, nothing notable.", "Admin changes discussed."),
    "confusion": ("Confused about configuration.", "Needs more training, unclear on roles."),
    "anxiety": ("Nervous about upcoming audit.", "Worried about data accuracy."),
    "frustration": ("Frustrated with open tickets.", "Annoyed by repeated sync issues."),
    "disappointment": ("Disappointed with recent releases.", "Feels we overpromised."),
    "anger": ("Very angry, raised voice.", "Threatened to escalate to our CEO."),
}

NOTES = (
    "Internal: account seems {mood}. Flagging for {owner}.",
    "Note to self: follow up on {area} issues before renewal.",
    "Champion left the company? Emails bouncing.",
    "Exec sponsor changed; need new relationship mapping.",
    "Logged usage drop, recommend a health check call.",
    "Customer asked for a discount at renewal.",
    "Good candidate for a case study.",
    "Escalated to engineering (JIRA {code}).",
)

NOTE_ACTIONS = (
    "Will follow up next week.",
    "Asked {contact} for a call.",
    "Added to the QBR agenda.",
    "Owner: {owner}.",
    "Sent the {report} report walkthrough.",
    "Waiting on engineering.",
    "No action needed.",
    "Offered a training session on {day}.",
    "",
)

NOTE_MOODS = {
    "delight": "very happy",
    "satisfaction": "happy",
    "curiosity": "engaged",
    "neutral": "stable",
    "confusion": "a bit lost",
    "anxiety": "nervous",
    "frustration": "frustrated",
    "disappointment": "unhappy",
    "anger": "at risk",
}

SUBJECTS: dict[str, tuple[str, ...]] = {
    "billing": ("Invoice question", "Billing issue", "Double charge??", "Invoice {invoice}"),
    "integrations": ("{integration} sync", "API errors", "Webhook timeouts", "Integration issue"),
    "reporting": ("{report} report", "Dashboard numbers", "Report export", "Scheduled reports"),
    "onboarding": ("Onboarding", "Training session", "Setup help", "Getting started"),
    "performance": ("Slow app", "Outage?", "Performance", "Site down"),
    "access": ("SSO login", "Can't log in", "User roles", "Access problem"),
    "mobile": ("Mobile app", "iOS app crash", "Android app"),
    "data_import": ("CSV import", "Import failed", "Duplicate records"),
    "notifications": ("Notifications", "Too many emails", "Alerts"),
    "automation": ("Workflow", "Automation not firing", "Lead routing"),
}

# ---------------------------------------------------------------- filler vocabularies
INTEGRATIONS = ("Salesforce", "HubSpot", "Slack", "Zendesk", "Outlook", "Gmail", "Stripe", "Xero")
REPORTS = ("pipeline", "churn", "revenue", "activity", "forecast", "NPS", "win-rate", "SLA")
COMPETITORS = ("Pipedrive", "HubSpot", "Zoho", "Freshsales", "Salesforce", "Close")
ERRORS = (
    "Something went wrong",
    "Request failed with status 502",
    "Invalid token",
    "Timeout exceeded",
    "Unexpected end of input",
)
IDPS = ("Okta", "Azure AD", "Google Workspace", "OneLogin")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "March", "April", "June", "September", "November", "December")
STEPS = ("import", "pipeline", "permissions", "email connect")
MEETINGS = ("sales demo", "board meeting", "QBR", "weekly forecast call")
TEAMS = ("sales", "support", "finance", "marketing")
SETTINGS = ("Workspace", "Integrations", "Notifications", "Users & Roles", "Billing")
QUARTERS = ("Q1", "Q2", "Q3", "Q4", "next quarter")
