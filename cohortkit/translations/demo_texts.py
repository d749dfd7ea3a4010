"""Spanish and Arabic texts of the demo course (data for demo.py)."""

import re

MODULES_ES = {
    "Introduction": "Introducción",
    "What are partnerships?": "¿Qué son las alianzas?",
    "Preparing to partner": "Prepararse para una alianza",
    "Negotiating partnerships": "Negociar alianzas",
    "Running partnerships": "Gestionar alianzas",
    "Sustainability and evaluation": "Sostenibilidad y evaluación",
    "Troubleshooting": "Resolver problemas",
    "Final presentation and peer review": "Presentación final y revisión entre pares",
}

SPANISH: dict[str, str] = {
    **MODULES_ES,
    "2021": "2021",
    "2027": "2027",
    "Autumn 2026": "Otoño de 2026",
    "Partnership Building": "Construcción de alianzas",
    "An intensive eight-week course on finding, negotiating, running and evaluating "
    "partnerships with organisations outside the movement.": (
        "Un curso intensivo de ocho semanas para encontrar, negociar, gestionar y evaluar "
        "alianzas con organizaciones ajenas al movimiento."
    ),
    "A pilot of online learning for volunteers of a global wiki movement. Each week combines "
    "self-guided modules with a two-hour live session, and office hours during the week. The "
    "course ends with a final presentation reviewed by peers, and a certificate for those who "
    "complete it. Course materials are translatable, and after the live cohort the same "
    "material stays open for self-guided study. If you cannot continue, the team helps you "
    "find a way to complete the material later.": (
        "Un programa piloto de aprendizaje en línea para voluntarios de un movimiento wiki "
        "mundial. Cada semana combina módulos de estudio autónomo con una sesión en directo de "
        "dos horas y horas de consulta durante la semana. El curso termina con una "
        "presentación final revisada por pares y un certificado para quienes lo completen. "
        "Los materiales se pueden traducir y, después de la cohorte en directo, siguen "
        "abiertos para el estudio autónomo. Si no puedes continuar, el equipo te ayuda a "
        "encontrar la manera de completar el material más adelante."
    ),
    "Volunteers with intermediate experience contributing to wiki projects and little or no "
    "experience of building partnerships with outside organisations, comfortable writing and "
    "speaking in English.": (
        "Voluntarios con experiencia intermedia en proyectos wiki y poca o ninguna experiencia "
        "en construir alianzas con organizaciones externas, que escriban y hablen inglés con "
        "soltura."
    ),
    "self-guided work plus a weekly two-hour live session": (
        "trabajo autónomo y una sesión semanal en directo de dos horas"
    ),
    "Introductions and sharing of the cohort's experience": (
        "Presentaciones y experiencias compartidas de la cohorte"
    ),
    "What a partnership is": "Qué es una alianza",
    "Why build partnerships": "Por qué construir alianzas",
    "Know yourself": "Conócete",
    "Present yourself": "Preséntate",
    "Study your environment and identify prospective partners": (
        "Estudia tu entorno e identifica posibles aliados"
    ),
    "Study your prospective partner and evaluate alignment": (
        "Estudia a tu posible aliado y evalúa la afinidad"
    ),
    "Identify and articulate the partnership value proposal": (
        "Identifica y formula la propuesta de valor de la alianza"
    ),
    "Develop a theory of change and logic models": (
        "Elabora una teoría del cambio y modelos lógicos"
    ),
    "Develop your partnership pitch": "Prepara tu presentación de la alianza",
    "The first meeting or conversation": "La primera reunión o conversación",
    "Agreeing to partner, or not": "Acordar la alianza, o no",
    "Deriving actions from the partnership agreement": "Derivar acciones del acuerdo de alianza",
    "Sharing reality between partners": "Compartir la realidad entre aliados",
    "Evaluating a partnership": "Evaluar una alianza",
    "Sustaining and refining": "Sostener y mejorar",
    "Ending a partnership": "Terminar una alianza",
    "Dealing with setbacks": "Afrontar los contratiempos",
    "Integrating it all": "Integrarlo todo",
    "Think about a group you volunteer with. Write down:": (
        "Piensa en un grupo con el que colaboras como voluntario. Anota:"
    ),
    "what your group wants to achieve in the next year;": (
        "qué quiere lograr tu grupo en el próximo año;"
    ),
    "who outside the group could help, and why they would want to;": (
        "quién de fuera del grupo podría ayudar, y por qué querría hacerlo;"
    ),
    "one question you would like to ask the cohort.": (
        "una pregunta que te gustaría hacer a la cohorte."
    ),
    "Bring your notes to the weekly live session, or share them on the <a1>talk page</a1> if "
    "you cannot attend.": (
        "Trae tus notas a la sesión semanal en directo, o compártelas en la "
        "<a1>página de discusión</a1> si no puedes asistir."
    ),
    "Bring your notes to the weekly live session, or share them on the <a1>talk page</a1> if "
    "you cannot attend; the facilitators read it every day.": (
        "Trae tus notas a la sesión semanal en directo, o compártelas en la "
        "<a1>página de discusión</a1> si no puedes asistir; los facilitadores la leen a diario."
    ),
    # Assignments (learning/demo.py): titles, then instructions.
    "Self-assessment": "Autoevaluación",
    "Partner map": "Mapa de posibles socios",
    "Value proposal": "Propuesta de valor",
    "Theory of change": "Teoría del cambio",
    "Partnership pitch": "Presentación de la alianza",
    "Describe your group, what it does well, and what it lacks. Half a page is enough.": (
        "Describe tu grupo, lo que hace bien y lo que le falta. Basta con media página."
    ),
    "List five organisations near you that share part of your aims, and what each could gain.": (
        "Enumera cinco organizaciones cercanas que compartan parte de vuestros objetivos y lo "
        "que cada una podría ganar."
    ),
    "In one paragraph, say what your group offers the partner you chose and what you ask.": (
        "En un párrafo, explica qué ofrece tu grupo al socio que elegiste y qué le pides."
    ),
    "Draw or write the chain from your activities to the change you want. A photo is fine.": (
        "Dibuja o describe la cadena que va de vuestras actividades al cambio que buscáis. "
        "Una foto sirve."
    ),
    "Write the two-minute pitch you would give at a first meeting. Link to a recording if "
    "you like.": (
        "Escribe la presentación de dos minutos que harías en una primera reunión. Si quieres, "
        "enlaza una grabación."
    ),
    # Peer review (reviews/demo.py): instructions, rubric, feedback questions.
    "Present a partnership you would like to build for your community: the partner, what each "
    "side gains, and your first three steps. Slides, a short video or a written piece all "
    "work; about ten minutes.": (
        "Presenta una alianza que te gustaría construir para tu comunidad: el socio, lo que gana "
        "cada parte y tus tres primeros pasos. Sirven diapositivas, un vídeo breve o un texto; "
        "unos diez minutos."
    ),
    "Partner fit": "Afinidad con el socio",
    "How well the chosen partner's aims align with the community's.": (
        "En qué medida los objetivos del socio elegido coinciden con los de la comunidad."
    ),
    "Is it clear what each side gains, and why now?": (
        "¿Queda claro qué gana cada parte y por qué ahora?"
    ),
    "Plan": "Plan",
    "Concrete first steps, owners and dates; a way to evaluate.": (
        "Primeros pasos concretos, responsables y fechas; una forma de evaluar."
    ),
    "Delivery": "Exposición",
    "Clear, well structured, within the time given.": (
        "Clara, bien estructurada y dentro del tiempo previsto."
    ),
    "What is the strongest part of this partnership plan?": (
        "¿Cuál es el punto más fuerte de este plan de alianza?"
    ),
    "What one change would make the plan more likely to succeed?": (
        "¿Qué cambio haría más probable que el plan tenga éxito?"
    ),
    # Application form (applications/demo.py): introduction, privacy notice, questions.
    "Tell us about you and the partnership you would like to build. Your draft is saved as "
    "you type.": (
        "Cuéntanos sobre ti y la alianza que te gustaría construir. Tu borrador se guarda "
        "mientras escribes."
    ),
    "Your answers are used only to select the participants of this course and are deleted a "
    "set time after the selection.": (
        "Tus respuestas solo se usan para seleccionar a los participantes de este curso y se "
        "eliminan un tiempo determinado después de la selección."
    ),
    "Why do you want to join, and which partnership would you like to build?": (
        "¿Por qué quieres participar y qué alianza te gustaría construir?"
    ),
    "A few sentences are enough.": "Bastan unas pocas frases.",
    "How comfortable are you writing and speaking in English?": (
        "¿Con qué soltura escribes y hablas en inglés?"
    ),
    "Fluent": "Con fluidez",
    "Comfortable": "Con comodidad",
    "Still learning": "Todavía estoy aprendiendo",
    "Have you built a partnership with an outside organisation before?": (
        "¿Has construido antes una alianza con una organización externa?"
    ),
    "A link to your work (optional)": "Un enlace a tu trabajo (opcional)",
    # The application review rubric (applications/demo.py).
    "Motivation": "Motivación",
    "Fit with the audience": "Adecuación al público del curso",
    "Plan to share back": "Plan para compartir lo aprendido",
    # Exercises (exercises/demo.py): titles, questions, choices, feedback, explanations.
    "Check your understanding": "Comprueba lo que has aprendido",
    "What does the cohort share each week?": "¿Qué comparte la cohorte cada semana?",
    "Each week combines self-guided modules with a two-hour live session.": (
        "Cada semana combina módulos de estudio autónomo con una sesión en directo de dos horas."
    ),
    "A live session and the week's modules": "Una sesión en directo y los módulos de la semana",
    "Only the final presentation": "Solo la presentación final",
    "Yes: self-guided study plus one live session.": (
        "Sí: estudio autónomo y una sesión en directo."
    ),
    "The presentation comes at the end; each week has a session.": (
        "La presentación llega al final; cada semana tiene una sesión."
    ),
    "The certificate needs the final presentation reviewed by peers.": (
        "Para el certificado, la presentación final debe ser revisada por pares."
    ),
    "Right.": "Correcto.",
    "It does: peers review it.": "Sí: la revisan los pares.",
    "Which of these is a partnership?": "¿Cuál de estas es una alianza?",
    "In a partnership both sides commit and both gain.": (
        "En una alianza ambas partes se comprometen y ambas ganan."
    ),
    "Two organisations sharing aims, work and risks": (
        "Dos organizaciones que comparten objetivos, trabajo y riesgos"
    ),
    "A one-off donation": "Una donación puntual",
    "A newsletter subscription": "Una suscripción a un boletín",
    "A donation is support, not a partnership.": "Una donación es un apoyo, no una alianza.",
    "That is communication, not a partnership.": "Eso es comunicación, no una alianza.",
    "Both partners should gain something.": "Ambos socios deben ganar algo.",
    "Right: it must work for both.": "Correcto: debe funcionar para ambos.",
    "Both sides need a reason to stay.": "Ambas partes necesitan un motivo para seguir.",
    "Which belong in knowing your own group?": "¿Qué forma parte de conocer a tu propio grupo?",
    "Know yourself before you look for partners.": "Conócete antes de buscar socios.",
    "What it does well": "Lo que hace bien",
    "What it lacks": "Lo que le falta",
    "The partner's budget": "El presupuesto del socio",
    "Yes.": "Sí.",
    "That is about the partner, not you.": "Eso trata del socio, no de ti.",
    "How many prospective partners does the partner map ask for?": (
        "¿Cuántos posibles socios pide el mapa de socios?"
    ),
    "Right: five organisations.": "Correcto: cinco organizaciones.",
    "How long is the pitch you prepare for a first meeting, in minutes?": (
        "¿Cuántos minutos dura la presentación que preparas para una primera reunión?"
    ),
    "Two minutes is enough to start a conversation.": (
        "Dos minutos bastan para empezar una conversación."
    ),
    "Name the document in which partners write down what each one does.": (
        "Nombra el documento en el que los socios escriben lo que hace cada uno."
    ),
    "agreement": "acuerdo",
    "contract": "contrato",
    "Close: a contract is one kind of agreement.": "Casi: un contrato es un tipo de acuerdo.",
    "Match each step to its stage.": "Relaciona cada paso con su etapa.",
    "Derive actions": "Derivar acciones",
    "Share reality": "Compartir la realidad",
    "Meet regularly": "Reunirse con regularidad",
    "From the agreement": "A partir del acuerdo",
    "Between the partners": "Entre los socios",
    "To keep in touch": "Para mantener el contacto",
    "What keeps a running partnership healthy?": "¿Qué mantiene sana una alianza en marcha?",
    "Sharing reality keeps both sides able to act.": (
        "Compartir la realidad permite actuar a ambas partes."
    ),
    "Regular, honest updates between partners": "Novedades regulares y sinceras entre socios",
    "Avoiding bad news": "Evitar las malas noticias",
    "Bad news shared early is easier to fix.": (
        "Las malas noticias compartidas pronto se arreglan mejor."
    ),
    "When should a partnership be evaluated?": "¿Cuándo hay que evaluar una alianza?",
    "Evaluate as you go, so you can refine.": "Evalúa sobre la marcha para poder mejorar.",
    "Only at its end": "Solo al final",
    "Regularly, while it runs": "Con regularidad, mientras está en marcha",
    "Also along the way.": "También durante el camino.",
    "Ending a partnership can be a success.": "Terminar una alianza puede ser un éxito.",
    "It can: ending well keeps the door open.": "Puede serlo: terminar bien deja la puerta abierta.",
    "What helps most after a setback?": "¿Qué ayuda más después de un contratiempo?",
    "Most setbacks are easier to repair when they are named early.": (
        "La mayoría de los contratiempos se reparan mejor cuando se nombran pronto."
    ),
    "Talking to the partner early": "Hablar pronto con el socio",
    "Waiting until it passes": "Esperar a que pase",
    "Starting over with someone else": "Empezar de nuevo con otra persona",
    "Problems grow when they wait.": "Los problemas crecen cuando esperan.",
    "Try to repair first.": "Intenta repararlo primero.",
    "Hiding a problem from a partner protects the partnership.": (
        "Ocultar un problema al socio protege la alianza."
    ),
    "It does not: trust suffers.": "No: la confianza se resiente.",
    "Right: it does not.": "Correcto: no la protege.",
    "How many peers review each final presentation in the demo?": (
        "¿Cuántos pares revisan cada presentación final en la demostración?"
    ),
    "Three peers each.": "Tres pares cada una.",
    "What does the final presentation describe?": "¿Qué describe la presentación final?",
    "Partner, gains for each side, and your first steps.": (
        "El socio, lo que gana cada parte y tus primeros pasos."
    ),
    "A partnership you would like to build": "Una alianza que te gustaría construir",
    "A summary of each week": "Un resumen de cada semana",
    "The presentation looks ahead.": "La presentación mira hacia adelante.",
    "Peer feedback should name one change that would help.": (
        "Los comentarios de los pares deben proponer un cambio que ayude."
    ),
    "It should: one concrete change.": "Así es: un cambio concreto.",
    # Live sessions (scheduling/demo.py): series titles and agendas; the planner's numbered
    # titles ("Weekly live session, group 2") are in `spanish_for`.
    "Weekly live session": "Sesión semanal en directo",
    "Onboarding call": "Llamada de bienvenida",
    "Check-in round\nThe week's topic\nQuestions": (
        "Ronda de presentación\nEl tema de la semana\nPreguntas"
    ),
    "Check-in round\nThe week's topic in small groups\nQuestions and next steps": (
        "Ronda de presentación\nEl tema de la semana en grupos pequeños\nPreguntas y próximos pasos"
    ),
}

_TOPIC_INTRO = re.compile(
    r"This topic belongs to the module \*(.+)\*\. Read it at your own pace; it takes about "
    r"forty minutes, and the exercise at the end about twenty more\."
)
_WEEK = re.compile(r"Week (\d+): (.+)\.")


def spanish_for(text: str) -> str:
    """The Spanish of a demo text; texts other apps add to the demo get a marked copy."""
    if text in SPANISH:
        return SPANISH[text]
    if match := _TOPIC_INTRO.fullmatch(text):
        module = MODULES_ES.get(match.group(1), match.group(1))
        return (
            f"Este tema pertenece al módulo *{module}*. Léelo a tu ritmo; lleva unos cuarenta "
            "minutos, y el ejercicio final unos veinte más."
        )
    if match := _WEEK.fullmatch(text):
        titles = {title.lower().rstrip("?"): es for title, es in MODULES_ES.items()}
        title = titles.get(match.group(2), match.group(2))
        return f"Semana {match.group(1)}: {title[:1].lower()}{title[1:]}."
    return text


ARABIC: dict[str, str] = {
    "Partnership Building": "بناء الشراكات",
    "An intensive eight-week course on finding, negotiating, running and evaluating "
    "partnerships with organisations outside the movement.": (
        "دورة مكثفة مدتها ثمانية أسابيع حول إيجاد الشراكات مع منظمات من خارج الحركة "
        "والتفاوض عليها وإدارتها وتقييمها."
    ),
    "Volunteers with intermediate experience contributing to wiki projects and little or no "
    "experience of building partnerships with outside organisations, comfortable writing and "
    "speaking in English.": (
        "متطوعون لديهم خبرة متوسطة في المساهمة في مشاريع الويكي وخبرة قليلة أو معدومة في بناء "
        "الشراكات مع المنظمات الخارجية، ويجيدون الكتابة والتحدث بالإنجليزية."
    ),
    "Introduction": "مقدمة",
    "What are partnerships?": "ما هي الشراكات؟",
    "Preparing to partner": "الاستعداد للشراكة",
    "Negotiating partnerships": "التفاوض على الشراكات",
    "Running partnerships": "إدارة الشراكات",
    "Sustainability and evaluation": "الاستدامة والتقييم",
    "Introductions and sharing of the cohort's experience": "التعارف وتبادل خبرات المجموعة",
    "What a partnership is": "ما هي الشراكة",
    "Why build partnerships": "لماذا نبني الشراكات",
    "Know yourself": "اعرف نفسك",
    "Present yourself": "قدّم نفسك",
    "Think about a group you volunteer with. Write down:": ("فكّر في مجموعة تتطوع معها. اكتب:"),
    "what your group wants to achieve in the next year;": "ما تريد مجموعتك تحقيقه في العام المقبل؛",
    "who outside the group could help, and why they would want to;": (
        "من خارج المجموعة يمكنه المساعدة، ولماذا قد يرغب في ذلك؛"
    ),
    "Bring your notes to the weekly live session, or share them on the <a1>talk page</a1> if "
    "you cannot attend.": (
        "أحضر ملاحظاتك إلى الجلسة المباشرة الأسبوعية، أو شاركها في <a1>صفحة النقاش</a1> "
        "إن لم تستطع الحضور."
    ),
}
