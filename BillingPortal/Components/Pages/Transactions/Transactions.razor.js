// Esc closes the transaction drawer wherever the focus is (the drawer is a temporary overlay).
let listener = null;

export function listenForEscape(dotNet) {
    stopListening();
    listener = (event) => {
        if (event.key === "Escape") dotNet.invokeMethodAsync("CloseDrawerFromKeyboard");
    };
    document.addEventListener("keydown", listener);
}

export function stopListening() {
    if (listener) document.removeEventListener("keydown", listener);
    listener = null;
}
