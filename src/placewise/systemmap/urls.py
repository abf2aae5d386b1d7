from django.urls import path

from placewise.systemmap import views

app_name = "systemmap"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("nodes/new/", views.new_node, name="new_node"),
    path("nodes/<str:key>/", views.node_page, name="node"),
    path("edges/new/", views.new_edge, name="new_edge"),
    path("edges/<str:key>/", views.edge_page, name="edge"),
    path("history/", views.history, name="history"),
    path("import/", views.import_page, name="import"),
    path("export/nodes.csv", views.export, {"name": "nodes.csv"}, name="export_nodes"),
    path("export/edges.csv", views.export, {"name": "edges.csv"}, name="export_edges"),
    path("export/map.graphml", views.export, {"name": "map.graphml"}, name="export_graphml"),
    path("export/map.json", views.export, {"name": "map.json"}, name="export_json"),
]
