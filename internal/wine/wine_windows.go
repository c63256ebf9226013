package wine

import (
	"sync"

	"golang.org/x/sys/windows"
)

// Detected diz se o processo roda sob o Wine: o ntdll.dll do Wine exporta
// wine_get_version, que o do Windows não tem (é o teste que o próprio
// projeto Wine recomenda). A resposta é lida uma vez e guardada.
func Detected() bool { return detected() }

var detected = sync.OnceValue(func() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
})
